// estate-agent: the endpoint inventory agent and the network scanner.
// Thin by design: pick the subcommand and hand it the remaining arguments.
#include <cstdio>
#include <cstring>
#include <string>

#include "agent/commands/commands.h"
#include "agent/report_module.h"
#include "agent/scanner_module.h"

namespace {

constexpr const char* kUsage = R"(usage: estate-agent COMMAND [options]

Inventory of this host:
  inventory [--json] [--root DIR]         collect this host's facts and print them as JSON
  push --collector HOST:PORT [--root DIR] collect and send one full report, wait for the ack
  run --config FILE [--once]              long-running agent: scheduled reports, deltas, spool

Network discovery (only the targets you name are ever probed):
  scan arp --interface IF CIDR...         active ARP sweep of local segments (CAP_NET_RAW)
  scan probe TARGET...                    ICMP echo / TCP connect probes of routed hosts
  scan snmp TARGET...                     SNMP identification and inventory of devices
  listen --interface IF | --read FILE     passive discovery from traffic, sends nothing

Run 'estate-agent COMMAND --help' for a command's options.
)";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  const std::string command = argv[1];
  estate::agent::Args rest(argv + 2, argv + argc);
  if (command == "inventory") return estate::agent::RunInventoryCommand(rest);
  if (command == "push" || command == "run") return estate::agent::RunReportCommand(command, rest);
  if (command == "listen") return estate::agent::RunScanner("listen", rest);
  if (command == "scan") {
    if (rest.empty()) {
      std::fputs("estate-agent scan: name a scan: arp, probe or snmp\n", stderr);
      return 2;
    }
    const std::string kind = rest.front();
    rest.erase(rest.begin());
    if (kind == "arp" || kind == "probe" || kind == "snmp") {
      return estate::agent::RunScanner(kind, rest);
    }
    std::fprintf(stderr, "estate-agent scan: unknown scan '%s' (arp, probe, snmp)\n", kind.c_str());
    return 2;
  }
  std::fprintf(stderr, "estate-agent: unknown command '%s'\n\n%s", command.c_str(), kUsage);
  return 2;
}
