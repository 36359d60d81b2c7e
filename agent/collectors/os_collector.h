// OsCollector: os-release fields, kernel version string, architecture and the
// install date where the system shows it (Debian installer logs, the birth
// time of the root directory on the live system).
#ifndef ESTATE_AGENT_COLLECTORS_OS_COLLECTOR_H_
#define ESTATE_AGENT_COLLECTORS_OS_COLLECTOR_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "agent/collectors/collector.h"

namespace estate::agent {

std::unique_ptr<Collector> MakeOsCollector();

// KEY=value lines of os-release(5); quotes and backslash escapes removed.
std::map<std::string, std::string> ParseOsRelease(std::string_view text);

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COLLECTORS_OS_COLLECTOR_H_
