// push and run, the commands that report to a collector, live in a module
// that estate-agent loads only for them: the collector client and OpenSSL
// stay out of `estate-agent inventory` (start-up and its 10 MB RSS budget).
#ifndef ESTATE_AGENT_REPORT_MODULE_H_
#define ESTATE_AGENT_REPORT_MODULE_H_

#include <string>

#include "agent/commands/commands.h"

// The module's one entry point: `command` is "push" or "run".
extern "C" int estate_run_report(const char* command, int argc, const char* const* argv);

namespace estate::agent {

inline constexpr char kReportModuleName[] = "estate-agent-report.so";
inline constexpr char kReportEntryPoint[] = "estate_run_report";

// Loads the module (beside the executable, else in the installed library
// directory) and runs `command`; a clear error and exit code 1 when it is missing.
int RunReportCommand(const std::string& command, const Args& args);

}  // namespace estate::agent

#endif  // ESTATE_AGENT_REPORT_MODULE_H_
