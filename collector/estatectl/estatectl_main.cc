// estatectl: the admin's command line for a running estated, over its Unix socket.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "collector/estatectl/admin_client.h"
#include "collector/estatectl/pki.h"
#include "collector/estatectl/render.h"
#include "collector/estated_options.h"
#include "estate/text.h"

namespace {

using namespace estate;
using namespace estate::collector;

constexpr const char* kUsage =
    R"(usage: estatectl [--socket PATH] [--json] COMMAND [args] [--option value]

Inventory:
  assets [filters]  list assets; filters: --class C --state S --os TEXT --vendor TEXT
                    --subnet CIDR --owner TEXT --location TEXT --hostname TEXT
                    --seen-within 7d --not-seen-for 30d --managed --shadow
                    --has-software NAME[=VERSION] --limit N
  show ASSET [--at DATE]   one asset (by id, host name, MAC, IP, serial or tag), or as it was then
  history ASSET     every recorded change to an asset
  report [filters] [--stale 30d] [--top N]   counts by class/state/OS/vendor, software, stale, overdue
  sightings         hosts seen on the network by scanners
Shadow IT and drift:
  shadow [--devices|--software] [--all] [--hosts]   devices nobody manages, software not approved
  shadow --explain NAME     each version of package NAME: origin, verdict, the rule that decided
  approve device ASSET [--owner O] [--class C] [--state S]
  approve software PATTERN [--verdict approved|unapproved|prohibited] [--publisher P]
                   [--origin O] [--suite S] [--min-version V] [--max-version V] [--class C]
  approve origin ORIGIN [--suite S] [--class C] [--verdict V]   e.g. Debian, local, @distribution
  approve service PROCESS [--port N] [--class C]
  ignore device ASSET --reason WHY | ignore software NAME --reason WHY
  policy [remove RULE_ID]                    the software policy
  drift [ASSET] [--min-severity S]           open differences from baselines
  accept ASSET [hardware|os|software|network...]   make the current state the baseline
Lifecycle and custody:
  register --class C [--tag T] [--serial S] [--mac M] [--state S] [key=value...]
  checkout ASSET --to PERSON [--due DATE]
  checkin ASSET [--condition good|damaged] [--state S]
  set ASSET key=value...   owner, location, department, cost, purchase_date, warranty_end,
                           asset_tag, notes (locked: discovery never overwrites them)
  state ASSET STATE --reason WHY   ordered, in_stock, deployed, in_repair, retired, disposed
  merge KEEP OTHER [--reason WHY] | split ASSET --node NODE | --mac MAC
  rules             run the missing/overdue rules now
Events and operations:
  events [--since SEQ] [--kind K] [--follow]  shadow/drift/lifecycle events as JSON lines
  stats             collector counters and store size
Agents and TLS:
  agents            enrolled nodes: node id, host, enrolled, last seen, last address, revoked
  revoke NODE [--forget]   cut a node off now (--forget: let its id enroll again)
  pki init DIR [--host NAME]... [--ip ADDR]...   site CA, collector certificate, enroll secret
  backup DIR        consistent online copy of the store; start from it with estated --restore DIR

--socket defaults to ./estate-data/admin.sock when present, else /run/estate/admin.sock.
--json prints the result as JSON for scripts; --csv prints a list result as CSV.
Access: members of the socket's group (estate) connect; their Unix groups give the role
(viewer: reads; technician: + checkout/checkin, notes, in_repair moves; admin: all),
see estatectl(8). Exit status 77 when refused.
)";

// sysexits.h EX_NOPERM: the caller's role (or the socket's group) does not
// allow the command, so scripts can tell a refusal from a failure.
constexpr int kExitDenied = 77;

// Prints why the call failed; the exit status for it.
int Failed(const Result<v1::AdminResponse>& response) {
  const bool denied = response.ok() ? response->denied()
                                    : response.status().code() == Status::Code::kPermissionDenied;
  std::fprintf(stderr, "estatectl: %s\n",
               response.ok() ? response->error().c_str() : response.status().message().c_str());
  return denied ? kExitDenied : 1;
}

// Flags that take no value.
const std::set<std::string> kSwitches = {"--json",        "--csv",   "--follow",  "--managed",
                                         "--shadow",      "--all",   "--devices", "--software",
                                         "--no-software", "--forget"};

std::string DefaultSocket() {
  const std::string local = std::string(kDefaultDataDir) + "/" + kAdminSocketName;
  if (::access(local.c_str(), F_OK) == 0) return local;
  return "/run/estate/admin.sock";
}

// Streams new events as JSON lines until interrupted: asks for events after
// the last one seen, once a second. Starts at --since, else at the log's end.
int FollowEvents(const std::string& socket_path, v1::AdminRequest request) {
  const bool from_now = !request.options().count("since");
  uint64_t since = 0;
  if (from_now) {
    v1::AdminRequest end = request;
    (*end.mutable_options())["end"] = "true";
    auto response = CallAdmin(socket_path, end);
    if (!response.ok() || !response->ok()) return Failed(response);
    auto j = nlohmann::json::parse(response->json(), nullptr, false);
    if (j.is_discarded()) return 1;
    since = j.value("last_seq", uint64_t{0});
  } else {
    auto parsed = ParseUint(request.options().at("since"));
    if (!parsed) {
      std::fputs("estatectl: --since needs an event sequence number\n", stderr);
      return 2;
    }
    since = *parsed;
  }
  for (;;) {
    (*request.mutable_options())["since"] = std::to_string(since);
    auto response = CallAdmin(socket_path, request);
    if (!response.ok() || !response->ok()) return Failed(response);
    auto j = nlohmann::json::parse(response->json(), nullptr, false);
    if (j.is_discarded()) return 1;
    for (const auto& event : j.value("events", nlohmann::json::array())) {
      std::printf("%s\n", event.dump().c_str());
    }
    std::fflush(stdout);
    const uint64_t last = j.value("last_seq", since);
    if (last == since) ::sleep(1);
    since = last;
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  // pki runs here, on files: it needs no collector.
  if (!args.empty() && args[0] == "pki") {
    return RunPkiCommand(std::vector<std::string>(args.begin() + 1, args.end()));
  }
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
  const bool csv = request.options().count("csv") > 0;
  request.mutable_options()->erase("csv");
  if (request.command() == "events" && request.options().count("follow")) {
    request.mutable_options()->erase("follow");
    return FollowEvents(socket_path, request);
  }

  auto response = CallAdmin(socket_path, request);
  if (!response.ok() || !response->ok()) return Failed(response);
  nlohmann::json result = nlohmann::json::parse(response->json(), nullptr, false);
  if (result.is_discarded()) {
    std::fputs("estatectl: the collector sent an unreadable result\n", stderr);
    return 1;
  }
  if (json) {
    std::printf("%s\n", result.dump(2).c_str());
  } else if (csv) {
    const std::string out = RenderCsv(request.command(), result);
    if (out.empty()) {
      std::fprintf(stderr, "estatectl: %s has no list to print as CSV\n",
                   request.command().c_str());
      return 1;
    }
    std::fputs(out.c_str(), stdout);
  } else {
    std::fputs(RenderForHumans(request.command(), result).c_str(), stdout);
  }
  return 0;
}
