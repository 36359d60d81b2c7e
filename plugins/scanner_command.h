// The interface a scanner command implements: a function taking the
// arguments after its own name and returning the process exit code (0 ok,
// 1 failure, 2 usage error). Both sides see it here: the plugins implement
// it without knowing the agent's internals, and estate-agent's scanner
// module (agent/scanner_module.cc) dispatches to it.
#ifndef ESTATE_PLUGINS_SCANNER_COMMAND_H_
#define ESTATE_PLUGINS_SCANNER_COMMAND_H_

#include <span>
#include <string>
#include <vector>

#include "estate/option_table.h"

namespace estate::plugins {

using Args = std::vector<std::string>;
using ScannerCommand = int (*)(const Args& args);

int RunArpScanCommand(const Args& args);    // plugins/arp/arp_scan_command.cc
int RunProbeScanCommand(const Args& args);  // plugins/probe/probe_scan_command.cc
int RunSnmpScanCommand(const Args& args);   // plugins/snmp/snmp_scan_command.cc
int RunListenCommand(const Args& args);     // plugins/passive/listen_command.cc

// The options `scan snmp` declares (its --help, parser and man page agree on them).
std::span<const OptionRow> SnmpScanOptions();

}  // namespace estate::plugins

#endif  // ESTATE_PLUGINS_SCANNER_COMMAND_H_
