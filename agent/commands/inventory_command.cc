// estate-agent inventory [--json] [--root DIR] [--addresses FILE]
#include <cstdio>
#include <iostream>

#include "agent/commands/commands.h"
#include "agent/commands/facts_json.h"
#include "agent/commands/flags.h"
#include "agent/commands/inventory_source.h"

namespace estate::agent {

namespace {

constexpr const char* kInventoryUsage =
    R"(usage: estate-agent inventory [--json] [--root DIR] [--addresses FILE] [--cache-dir DIR]
  --json            print the facts as JSON (the default, and the only format)
  --root DIR        read the host under DIR instead of / (a captured tree)
  --addresses FILE  interface addresses from FILE (`ip -o addr show` output)
                    instead of the kernel; the default for --root is none
  --cache-dir DIR   keep what is costly to recompute (package origins from the
                    apt lists) in DIR; default /var/lib/estate-agent (the run
                    command's state directory) for /, none for --root;
                    "" turns the cache off
)";

constexpr const char* kDefaultCacheDir = "/var/lib/estate-agent";

}  // namespace

int RunInventoryCommand(const Args& args) {
  for (const auto& arg : args) {
    if (arg == "--help" || arg == "-h") {
      std::fputs(kInventoryUsage, stdout);
      return 0;
    }
  }
  auto flags = Flags::Parse(args, {"--root", "--addresses", "--cache-dir"}, {"--json"});
  if (!flags.ok()) {
    std::fprintf(stderr, "estate-agent inventory: %s\n%s", flags.status().message().c_str(),
                 kInventoryUsage);
    return 2;
  }
  const std::string root = flags->GetOr("--root", "/");
  const std::string cache_dir =
      flags->GetOr("--cache-dir", root == "/" || root.empty() ? kDefaultCacheDir : "");
  InventorySource source(root, flags->GetOr("--addresses", ""), cache_dir);
  WriteFactsJson(source.Collect(), std::cout);
  std::cout << '\n';
  return std::cout.good() ? 0 : 1;
}

}  // namespace estate::agent
