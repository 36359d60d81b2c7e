// Named spdlog loggers, one per component ("collector.net", "agent.collect").
// A daemon calls InitLogging once in main; components receive their logger.
#ifndef ESTATE_LOGGING_H_
#define ESTATE_LOGGING_H_

#include <spdlog/spdlog.h>

#include <memory>
#include <string>

namespace estate {

// Logs go to stderr (the journal under systemd). `level` is spdlog's name
// ("info", "debug", "warn"); unknown names fall back to "info".
void InitLogging(const std::string& level);

// The logger for `component`, created on first use with the common sink.
std::shared_ptr<spdlog::logger> GetLogger(const std::string& component);

}  // namespace estate

#endif  // ESTATE_LOGGING_H_
