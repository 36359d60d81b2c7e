// estatectl: the admin's command line for a running estated, over its Unix socket.
#include <unistd.h>

#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "collector/estatectl/admin_client.h"
#include "collector/estatectl/render.h"
#include "collector/estated_options.h"

namespace {

using namespace estate;
using namespace estate::collector;

constexpr const char* kUsage =
    R"(usage: estatectl [--socket PATH] [--json] COMMAND [args] [--option value]

Commands:
  assets [--class C] [--os TEXT] [--hostname TEXT] [--limit N]   list assets
  show ASSET        one asset (by id, host name, MAC, IP, serial or tag) with its facts
  history ASSET     every recorded change to an asset
  sightings         hosts seen on the network by scanners
  stats             collector counters and store size
  backup DIR        consistent online copy of the store; start from it with estated --restore DIR

--socket defaults to ./estate-data/admin.sock when present, else /run/estate/admin.sock.
--json prints the result as JSON for scripts.
)";

// Flags that take no value.
const std::set<std::string> kSwitches = {"--json", "--csv", "--follow"};

std::string DefaultSocket() {
  const std::string local = std::string(kDefaultDataDir) + "/" + kAdminSocketName;
  if (::access(local.c_str(), F_OK) == 0) return local;
  return "/run/estate/admin.sock";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string socket_path;
  bool json = false;
  v1::AdminRequest request;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (arg == "--socket") {
      if (i + 1 >= args.size()) {
        std::fputs("estatectl: --socket needs a path\n", stderr);
        return 2;
      }
      socket_path = args[++i];
    } else if (arg == "--json") {
      json = true;
    } else if (arg.rfind("--", 0) == 0) {
      std::string name = arg.substr(2);
      std::string value = "true";
      if (size_t eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
      } else if (!kSwitches.count(arg)) {
        if (i + 1 >= args.size()) {
          std::fprintf(stderr, "estatectl: %s needs a value\n", arg.c_str());
          return 2;
        }
        value = args[++i];
      }
      (*request.mutable_options())[name] = value;
    } else if (request.command().empty()) {
      request.set_command(arg);
    } else {
      request.add_args(arg);
    }
  }
  if (request.command().empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  if (socket_path.empty()) socket_path = DefaultSocket();

  auto response = CallAdmin(socket_path, request);
  if (!response.ok()) {
    std::fprintf(stderr, "estatectl: %s\n", response.status().message().c_str());
    return 1;
  }
  if (!response->ok()) {
    std::fprintf(stderr, "estatectl: %s\n", response->error().c_str());
    return 1;
  }
  nlohmann::json result = nlohmann::json::parse(response->json(), nullptr, false);
  if (result.is_discarded()) {
    std::fputs("estatectl: the collector sent an unreadable result\n", stderr);
    return 1;
  }
  if (json) {
    std::printf("%s\n", result.dump(2).c_str());
  } else {
    std::fputs(RenderForHumans(request.command(), result).c_str(), stdout);
  }
  return 0;
}
