// The network scanners (scan arp|probe|snmp, listen) live in a module that
// estate-agent loads only when one of them runs, so the inventory path never
// maps net-snmp, OpenSSL or libpcap (start-up time and memory on every endpoint).
#ifndef ESTATE_AGENT_SCANNER_MODULE_H_
#define ESTATE_AGENT_SCANNER_MODULE_H_

#include <string>

#include "agent/commands/commands.h"

// The module's one entry point: `command` is "arp", "probe", "snmp" or "listen".
extern "C" int estate_run_scanner(const char* command, int argc, const char* const* argv);

namespace estate::agent {

inline constexpr char kScannerModuleName[] = "estate-scanners.so";
inline constexpr char kScannerEntryPoint[] = "estate_run_scanner";

// Loads the module (beside the executable, else in the installed library
// directory) and runs `command`; a clear error and exit code 1 when it is missing.
int RunScanner(const std::string& command, const Args& args);

}  // namespace estate::agent

#endif  // ESTATE_AGENT_SCANNER_MODULE_H_
