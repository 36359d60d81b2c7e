// estate-fleet-truth: builds a fleet whose truth is known, plays its agents
// and scanners against a real estated in a seeded random order, asks the
// collector what it made of them (estatectl --json) and prints how far that is
// from the truth (docs/loadgen.md, "Ground truth"). Exit 0 when every target
// is met, 4 when one is missed, 3 when reports were refused, 2 on a bad
// command line, 1 when it could not run.
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "estate/endpoint.h"
#include "estate/secret_file.h"
#include "estate/suggest.h"
#include "tests/loadgen/package_pool.h"
#include "tests/loadgen/truth_audit.h"
#include "tests/loadgen/truth_feeder.h"
#include "tests/support/subprocess.h"

namespace estate::loadgen {
namespace {

struct Options {
  TruthFleetOptions fleet;
  FeedOptions feed;
  std::string collector, ca_file, fingerprint, enroll_secret_file;
  bool insecure_plaintext = false;
  std::string estatectl = "estatectl", admin_socket;
};

struct Flag {
  const char* name;
  const char* metavar;  // nullptr: a switch
  const char* help;
  std::function<bool(Options&, const std::string&)> set;
};

bool Number(const std::string& text, uint64_t min, uint64_t max, uint64_t* out) {
  char* end = nullptr;
  const unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || v < min || v > max) return false;
  *out = v;
  return true;
}

bool Share(const std::string& text, double* out) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !(v >= 0 && v <= 1)) return false;
  *out = v;
  return true;
}

template <typename T>
std::function<bool(Options&, const std::string&)> Set(T Options::*field) {
  return [field](Options& o, const std::string& v) {
    o.*field = v;
    return true;
  };
}

const std::vector<Flag>& Flags() {
  static const std::vector<Flag> kFlags = {
      {"--collector", "HOST:PORT", "estated agent listener (loopback only)",
       Set(&Options::collector)},
      {"--ca-file", "PATH", "the site CA that signed the collector's certificate",
       Set(&Options::ca_file)},
      {"--collector-fingerprint", "SHA256", "pin the collector's certificate",
       Set(&Options::fingerprint)},
      {"--insecure-plaintext", nullptr, "no TLS (a collector started so, on loopback)",
       [](Options& o, const std::string&) { return o.insecure_plaintext = true; }},
      {"--enroll-secret-file", "PATH", "enroll every simulated node with this secret",
       Set(&Options::enroll_secret_file)},
      {"--estatectl", "PATH", "the estatectl binary that asks the collector (default: PATH)",
       Set(&Options::estatectl)},
      {"--admin-socket", "PATH", "the collector's admin socket", Set(&Options::admin_socket)},
      {"--devices", "N", "real devices, 20..200000 (default 400); 190 to a /24 with its switch",
       [](Options& o, const std::string& v) {
         uint64_t n;
         return Number(v, 20, 200000, &n) && (o.fleet.devices = static_cast<uint32_t>(n), true);
       }},
      {"--seed", "S", "fleet and order seed (default 1); one seed per collector store",
       [](Options& o, const std::string& v) {
         return Number(v, 0, UINT64_MAX, &o.fleet.seed) && (o.feed.order_seed = o.fleet.seed, true);
       }},
      {"--rounds", "R", "scanner sweeps per subnet, 2..20 (default 3); moves come in the last",
       [](Options& o, const std::string& v) {
         uint64_t n;
         return Number(v, 2, 20, &n) && (o.fleet.rounds = static_cast<uint32_t>(n), true);
       }},
      {"--deltas", "D", "delta reports per agent after its full report, 1..20 (default 2)",
       [](Options& o, const std::string& v) {
         uint64_t n;
         return Number(v, 1, 20, &n) && (o.fleet.deltas = static_cast<uint32_t>(n), true);
       }},
      {"--packages", "N", "distribution packages per host, about (default 120, at most 265)",
       [](Options& o, const std::string& v) {
         uint64_t n;
         return Number(v, 1, 265, &n) && (o.fleet.packages = static_cast<uint32_t>(n), true);
       }},
      {"--foreign-share", "P", "share of hosts with foreign packages, 0..1 (default 0.04)",
       [](Options& o, const std::string& v) { return Share(v, &o.fleet.foreign_share); }},
      {"--move-share", "P", "share of devices moved to another port in the last round (0.01)",
       [](Options& o, const std::string& v) { return Share(v, &o.fleet.move_share); }},
      {"--connections", "C", "relay connections, each on its own thread (default 4)",
       [](Options& o, const std::string& v) {
         uint64_t n;
         return Number(v, 1, 64, &n) && (o.feed.connections = static_cast<uint32_t>(n), true);
       }},
  };
  return kFlags;
}

std::string Usage() {
  std::string out =
      "usage: estate-fleet-truth --collector HOST:PORT --admin-socket PATH [options]\n";
  for (const Flag& f : Flags()) {
    std::string left = std::string("  ") + f.name + (f.metavar ? std::string(" ") + f.metavar : "");
    left.resize(std::max<size_t>(left.size() + 2, 32), ' ');
    out += left + f.help + "\n";
  }
  return out;
}

int ParseArgs(int argc, char** argv, Options* options) {
  std::vector<std::string> names;
  for (const Flag& f : Flags()) names.push_back(f.name);
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(Usage().c_str(), stdout);
      std::exit(0);
    }
    const Flag* flag = nullptr;
    for (const Flag& f : Flags()) {
      if (arg == f.name) flag = &f;
    }
    if (!flag) {
      std::fprintf(stderr, "estate-fleet-truth: unknown option '%s'%s\n", arg.c_str(),
                   DidYouMean(arg, names).c_str());
      return 2;
    }
    std::string value;
    if (flag->metavar) {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "estate-fleet-truth: %s needs %s\n", flag->name, flag->metavar);
        return 2;
      }
      value = argv[++i];
    }
    if (!flag->set(*options, value)) {
      std::fprintf(stderr, "estate-fleet-truth: bad value '%s' for %s (%s)\n", value.c_str(),
                   flag->name, flag->help);
      return 2;
    }
  }
  if (options->collector.empty() || options->admin_socket.empty()) {
    std::fprintf(stderr, "estate-fleet-truth: --collector and --admin-socket are required\n%s",
                 Usage().c_str());
    return 2;
  }
  return 0;
}

Result<nlohmann::json> Ask(const Options& o, std::vector<std::string> args) {
  args.insert(args.begin(), {o.estatectl, "--socket", o.admin_socket, "--json"});
  testing::CommandResult r = testing::RunCommand(args, std::chrono::minutes(10));
  if (r.exit_code != 0) {
    return Status::Unavailable("estatectl " + args[4] + " failed: " + r.err);
  }
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::Corruption("estatectl " + args[4] + ": not JSON");
  return j;
}

int Run(int argc, char** argv) {
  Options o;
  if (int rc = ParseArgs(argc, argv, &o); rc != 0) return rc;
  auto endpoint = ParseEndpoint(o.collector);
  if (!endpoint.ok()) {
    std::fprintf(stderr, "estate-fleet-truth: --collector: %s\n",
                 endpoint.status().ToString().c_str());
    return 2;
  }
  // Network safety: a ground-truth fleet is played against a local collector only.
  if (endpoint->host != "127.0.0.1" && endpoint->host != "::1" && endpoint->host != "localhost" &&
      !endpoint->host.starts_with("127.")) {
    std::fprintf(stderr, "estate-fleet-truth: --collector must be a loopback address\n");
    return 2;
  }
  o.feed.collector = *endpoint;
  auto tls = MakeTlsClientOptions(o.ca_file, o.fingerprint, o.insecure_plaintext);
  if (!tls.ok()) {
    std::fprintf(stderr, "estate-fleet-truth: %s\n", tls.status().ToString().c_str());
    return 2;
  }
  o.feed.tls = *tls;
  if (!o.enroll_secret_file.empty()) {
    auto secret = ReadSecretFile(o.enroll_secret_file, "enroll secret file");
    if (!secret.ok()) {
      std::fprintf(stderr, "estate-fleet-truth: %s\n", secret.status().ToString().c_str());
      return 2;
    }
    o.feed.enroll_secret = *secret;
  }

  const TruthFleet fleet(o.fleet, BuiltinPackagePool());
  uint64_t by_kind[8] = {};
  for (const auto& d : fleet.devices()) by_kind[static_cast<int>(d.kind)]++;
  std::printf("fleet: %u devices in %u subnets, seed %llu:", o.fleet.devices, fleet.subnets(),
              static_cast<unsigned long long>(o.fleet.seed));
  for (int k = 0; k < 8; ++k) {
    std::printf(" %s %llu", TruthKindName(static_cast<TruthKind>(k)),
                static_cast<unsigned long long>(by_kind[k]));
  }
  std::printf("\n");
  std::fflush(stdout);

  auto fed = FeedFleet(fleet, o.feed);
  if (!fed.ok()) {
    std::fprintf(stderr, "estate-fleet-truth: %s\n", fed.status().ToString().c_str());
    return 1;
  }
  std::printf(
      "fed in %.1f s, seeded random order over %u connections: %llu full reports, %llu deltas, "
      "%llu sweeps (%llu sightings), %llu backpressure retries, %llu errors%s%s\n",
      fed->seconds, o.feed.connections, static_cast<unsigned long long>(fed->full_reports),
      static_cast<unsigned long long>(fed->delta_reports),
      static_cast<unsigned long long>(fed->sweeps), static_cast<unsigned long long>(fed->sightings),
      static_cast<unsigned long long>(fed->backpressure),
      static_cast<unsigned long long>(fed->errors), fed->errors ? ": " : "",
      fed->first_error.c_str());

  auto assets = Ask(o, {"assets"});
  auto shadow_devices = Ask(o, {"shadow", "--devices"});
  auto shadow_software = Ask(o, {"shadow", "--software", "--hosts"});
  auto drift = Ask(o, {"drift"});
  for (const auto* r : {&assets, &shadow_devices, &shadow_software, &drift}) {
    if (!r->ok()) {
      std::fprintf(stderr, "estate-fleet-truth: %s\n", r->status().ToString().c_str());
      return 1;
    }
  }
  std::vector<bool> move_seen_managed(fleet.devices().size(), false);
  for (uint32_t d = 0; d < fleet.devices().size(); ++d) {
    const TruthDevice& dev = fleet.devices()[d];
    if (dev.move_round == 0) continue;
    const uint64_t full = fed->full_report_acked[d];
    const uint64_t sweep = fed->snmp_round_sent[dev.subnet][dev.move_round];
    move_seen_managed[d] = full != 0 && full < sweep;
  }
  const AuditFigures f =
      AuditFleet(fleet, *assets, *shadow_devices, *shadow_software, *drift, move_seen_managed);
  auto u = [](uint64_t v) { return static_cast<unsigned long long>(v); };
  std::printf(
      "real devices %llu (agents %llu, without agent %llu) vs assets %llu (managed %llu, "
      "discovered %llu)\n",
      u(f.real_devices), u(f.agents), u(f.unmanaged), u(f.assets), u(f.managed_assets),
      u(f.discovered_assets));
  std::printf(
      "duplicates %llu, joined records %llu, records of no device %llu, agents without a "
      "managed record %llu\n",
      u(f.duplicates), u(f.joined), u(f.phantom), u(f.agents_unmanaged));
  std::printf("phones %llu showing %llu rotating MACs: %llu records (one per MAC: never joined)\n",
              u(f.phones), u(f.phone_macs), u(f.phone_records));
  std::printf("shadow devices listed %llu: false %llu, missed %llu of %llu\n", u(f.shadow_listed),
              u(f.false_shadow), u(f.missed_shadow), u(f.unmanaged));
  std::printf(
      "drift items %llu: expected %llu, false %llu; planted port moves found %llu/%llu (%llu more "
      "seen on the new port before their agent reported: first placement, no drift)\n",
      u(f.drift_items), u(f.expected_drift), u(f.false_drift), u(f.moves_found), u(f.planted_moves),
      u(f.moves_before_agent));
  std::printf("shadow software: planted found %llu/%llu (missed %llu), false %llu\n",
              u(f.software_found), u(f.planted_software), u(f.planted_software - f.software_found),
              u(f.false_shadow_software));
  for (const auto& e : f.examples) std::printf("  %s\n", e.c_str());
  nlohmann::json summary = f.ToJson();
  summary["devices"] = o.fleet.devices;
  summary["seed"] = o.fleet.seed;
  summary["feed_seconds"] = fed->seconds;
  summary["feed_errors"] = fed->errors;
  std::printf("%s\n", summary.dump().c_str());
  std::printf("targets %s\n", f.TargetsMet() ? "met" : "MISSED");
  if (fed->errors > 0) return 3;
  return f.TargetsMet() ? 0 : 4;
}

}  // namespace
}  // namespace estate::loadgen

int main(int argc, char** argv) { return estate::loadgen::Run(argc, argv); }
