// Human-readable renderings of admin command results (tables, sections).
// Machines use --json, which prints the result as it came.
#ifndef ESTATE_COLLECTOR_ESTATECTL_RENDER_H_
#define ESTATE_COLLECTOR_ESTATECTL_RENDER_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace estate::collector {

// Renders the result of `command` for a terminal.
std::string RenderForHumans(const std::string& command, const nlohmann::json& result);

// Columns padded to their widest cell.
std::string RenderTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows);

// Unix epoch seconds as "2026-11-23 14:05:09 UTC"; "-" for 0. (Not FormatTime: the
// admin commands linked into estatectl have that one, in ISO 8601 "T...Z" form.)
std::string FormatHumanTime(int64_t epoch_seconds);
std::string FormatBytes(uint64_t bytes);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ESTATECTL_RENDER_H_
