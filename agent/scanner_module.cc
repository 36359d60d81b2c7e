// Built into the estate-scanners module: dispatches to the discovery plugins.
#include "agent/scanner_module.h"

#include <cstdio>
#include <string>

extern "C" int estate_run_scanner(const char* command, int argc, const char* const* argv) {
  const std::string name = command;
  estate::plugins::Args args(argv, argv + argc);
  try {
    if (name == "arp") return estate::plugins::RunArpScanCommand(args);
    if (name == "probe") return estate::plugins::RunProbeScanCommand(args);
    if (name == "snmp") return estate::plugins::RunSnmpScanCommand(args);
    if (name == "listen") return estate::plugins::RunListenCommand(args);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "estate-agent %s: internal error: %s\n", command, e.what());
    return 1;
  }
  std::fprintf(stderr, "estate-agent: unknown scanner '%s'\n", command);
  return 2;
}
