// reconcile_bench: the collector's reconciliation at inventory scale, in
// process (no network): seeds N discovered assets from scanner observations,
// then reconciles N more observations of the same devices (new addresses, a
// switch port) through the real ingest pipeline — grouped, each group
// committed with fsync — and times `show` by MAC, IP, serial and asset tag
// (the lookup alone, and the admin command with its JSON answer).
// Run: build/tests/bench/reconcile/reconcile_bench [--assets 100000] [--runs 3] [--dir DIR]
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "collector/admin/asset_lookup.h"
#include "collector/admin/command_registry.h"
#include "collector/ingest/ingestor.h"
#include "collector/ingest/report_applier.h"
#include "collector/net/server_counters.h"
#include "collector/reconcile/asset_records.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "estate/logging.h"
#include "tests/bench/bench_figures.h"
#include "tests/bench/bench_ingest.h"

namespace {

using namespace estate;
using namespace estate::collector;
using namespace estate::bench;

std::string Mac(uint32_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "00:1b:%02x:%02x:%02x:%02x", (i >> 24) & 0xff, (i >> 16) & 0xff,
                (i >> 8) & 0xff, i & 0xff);
  return buf;
}

std::string Ip(uint32_t i, uint32_t salt) {
  const uint32_t v = (10u << 24) | ((i + salt * 7919u) & 0xffffffu);
  return std::to_string(v >> 24) + "." + std::to_string((v >> 16) & 0xff) + "." +
         std::to_string((v >> 8) & 0xff) + "." + std::to_string(v & 0xff);
}

// Submits `n` observations in reports of 1,000 to the ingest pipeline, as a
// scanner's session does, and waits until every report is acknowledged: the
// Ingestor groups them (up to 8,192 units of work a group: with reports of 1,000
// sightings, nine reports), applies one group while the
// one before it is committed with fsync, and answers each after its commit.
double Reconcile(Ingestor& ingestor, uint32_t n, uint32_t salt, uint64_t* seq) {
  constexpr uint32_t kPerReport = 1000;
  const int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
  Peer scanner{"bench-scanner", "bench", "bench", v1::PEER_KIND_SCANNER};
  // Built before the clock starts: a session hands the Ingestor parsed frames.
  std::vector<Submission> reports;
  for (uint32_t r = 0; r < n; r += kPerReport) {
    v1::Frame frame;
    frame.set_request_id(r);
    auto* report = frame.mutable_observations();
    report->set_sequence(++*seq);
    for (uint32_t i = r; i < std::min(n, r + kPerReport); ++i) {
      auto* o = report->add_observations();
      o->set_source(salt % 2 ? v1::OBSERVATION_SOURCE_SNMP_FDB : v1::OBSERVATION_SOURCE_ARP_SWEEP);
      o->set_mac(Mac(i));
      o->set_ip(Ip(i, salt));
      o->set_vendor("Intel Corporate");
      o->set_seen_at(now_s);
      if (salt % 2) {
        o->mutable_switch_port()->set_device("sw-" + std::to_string(i % 50));
        o->mutable_switch_port()->set_port("Gi1/0/" + std::to_string(i % 48 + 1));
        o->mutable_switch_port()->set_vlan(10 + salt);
      }
    }
    reports.push_back({scanner, std::move(frame)});
  }
  uint64_t refused = 0;
  const double seconds = SubmitAndWait(ingestor, reports, &refused);
  if (refused != 0) std::exit(1);
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  uint32_t assets = 100000;
  int runs = 3;
  std::string dir = "/tmp/estate-reconcile-bench";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--assets") assets = static_cast<uint32_t>(std::atoi(argv[i + 1]));
    if (a == "--runs") runs = std::atoi(argv[i + 1]);
    if (a == "--dir") dir = argv[i + 1];
  }
  std::filesystem::remove_all(dir);
  auto collector = BenchCollector::Open({dir});
  if (!collector) return 1;
  Store& store = *collector->store;
  Ingestor& ingestor = *collector->ingestor;
  uint64_t seq = 0;

  const double seed = Reconcile(ingestor, assets, 0, &seq);
  std::printf("seed: %u new devices (each a shadow-device event) in %.2f s\n", assets, seed);

  // Serials and tags on every 100th asset, as registration would set them.
  {
    auto batch = store.NewBatch();
    for (uint32_t i = 0; i < assets; i += 100) {
      (void)RegisterAsset(*batch, Mac(i), "SN" + std::to_string(i), "TAG-" + std::to_string(i));
    }
    (void)store.Write(*batch);
  }

  std::vector<double> times;
  for (int r = 1; r <= runs; ++r) {
    times.push_back(Reconcile(ingestor, assets, static_cast<uint32_t>(r), &seq));
    std::printf("run %d: %u observations against %u assets in %.2f s\n", r, assets, assets,
                times.back());
  }
  std::sort(times.begin(), times.end());
  std::printf("reconcile median: %.2f s for %u observations (%.0f obs/s); target < 2 s\n",
              times[times.size() / 2], assets, assets / times[times.size() / 2]);

  std::mt19937 rng(42);
  const uint32_t tagged = assets / 100;
  struct Kind {
    const char* name;
    std::function<std::string(uint32_t)> key;
    uint32_t space;
  };
  const uint32_t last_salt = static_cast<uint32_t>(runs);
  std::vector<Kind> kinds = {
      {"mac", [](uint32_t i) { return Mac(i); }, assets},
      {"ip", [&](uint32_t i) { return Ip(i, last_salt); }, assets},
      {"serial", [](uint32_t i) { return "SN" + std::to_string(i * 100); }, tagged},
      {"tag", [](uint32_t i) { return "TAG-" + std::to_string(i * 100); }, tagged},
  };
  // `show` as the admin socket runs it: lookup, facts, the JSON answer.
  CommandRegistry commands = MakeBuiltinCommands();
  ServerCounters counters;
  Caller viewer;
  viewer.role = Role::kViewer;
  AdminContext context{store, counters, ingestor, viewer};
  std::printf("%-8s %12s %12s %12s %14s\n", "show by", "lookup p50", "lookup p99", "show p50",
              "show p99 (us)");
  for (const auto& kind : kinds) {
    std::vector<double> lookup_us, show_us;
    for (int n = 0; n < 10000; ++n) {
      const std::string what = kind.key(rng() % kind.space);
      auto start = Clock::now();
      auto asset = LookupAsset(store, what);
      lookup_us.push_back(Seconds(Clock::now() - start) * 1e6);
      if (!asset.ok()) {
        std::fprintf(stderr, "lookup %s failed: %s\n", what.c_str(),
                     asset.status().ToString().c_str());
        return 1;
      }
      v1::AdminRequest request;
      request.set_command("show");
      request.add_args(what);
      start = Clock::now();
      v1::AdminResponse response = commands.Execute(request, context);
      show_us.push_back(Seconds(Clock::now() - start) * 1e6);
      if (!response.ok()) {
        std::fprintf(stderr, "show %s failed: %s\n", what.c_str(), response.error().c_str());
        return 1;
      }
    }
    std::printf("%-8s %12.1f %12.1f %12.1f %14.1f\n", kind.name, Percentile(lookup_us, 0.5),
                Percentile(lookup_us, 0.99), Percentile(show_us, 0.5), Percentile(show_us, 0.99));
  }
  ingestor.Stop();
  std::printf("store on disk: %.1f MB\n", static_cast<double>(store.DiskBytes()) / 1e6);
  return 0;
}
