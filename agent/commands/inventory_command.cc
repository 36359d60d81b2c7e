// estate-agent inventory [--json] [--root DIR] [--addresses FILE]
#include <cstdio>
#include <iostream>

#include "agent/commands/commands.h"
#include "agent/commands/flags.h"
#include "agent/commands/inventory_source.h"
#include "estate/proto_json.h"

namespace estate::agent {

namespace {

constexpr const char* kInventoryUsage =
    R"(usage: estate-agent inventory [--json] [--root DIR] [--addresses FILE]
  --json            print the facts as JSON (the default, and the only format)
  --root DIR        read the host under DIR instead of / (a captured tree)
  --addresses FILE  interface addresses from FILE (`ip -o addr show` output)
                    instead of the kernel; the default for --root is none
)";

}  // namespace

int RunInventoryCommand(const Args& args) {
  for (const auto& arg : args) {
    if (arg == "--help" || arg == "-h") {
      std::fputs(kInventoryUsage, stdout);
      return 0;
    }
  }
  auto flags = Flags::Parse(args, {"--root", "--addresses"}, {"--json"});
  if (!flags.ok()) {
    std::fprintf(stderr, "estate-agent inventory: %s\n%s", flags.status().message().c_str(),
                 kInventoryUsage);
    return 2;
  }
  InventorySource source(flags->GetOr("--root", "/"), flags->GetOr("--addresses", ""));
  const v1::HostFacts facts = source.Collect();
  std::cout << ProtoToJson(facts).dump(2) << '\n';
  return std::cout.good() ? 0 : 1;
}

}  // namespace estate::agent
