// Helpers shared by admin commands for reading their arguments.
#ifndef ESTATE_COLLECTOR_ADMIN_ADMIN_ARGS_H_
#define ESTATE_COLLECTOR_ADMIN_ADMIN_ARGS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "estate/status.h"
#include "estate/v1/admin.pb.h"

namespace estate::collector {

// The value of --name, or nullopt.
std::optional<std::string> Option(const v1::AdminRequest& request, const std::string& name);
std::string OptionOr(const v1::AdminRequest& request, const std::string& name,
                     const std::string& fallback);

// "2026-11-23", "2026-11-23T10:00:00Z", "2026-11-23 10:00" (UTC) or Unix seconds.
// A date alone means the end of that day when `end_of_day` (for --at, --due).
Result<int64_t> ParseTime(const std::string& text, bool end_of_day);
// "7d", "12h", "30m", "90s" or plain days.
Result<int64_t> ParseDurationSeconds(const std::string& text);
// The current time in Unix seconds.
int64_t UnixNow();
// Unix seconds as "2026-11-23T10:00:00Z"; empty for 0.
std::string FormatTime(int64_t seconds);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_ADMIN_ARGS_H_
