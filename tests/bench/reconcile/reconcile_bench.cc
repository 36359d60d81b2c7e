// reconcile_bench: the collector's reconciliation at inventory scale, in
// process (no network): seeds N discovered assets from scanner observations,
// then reconciles N more observations of the same devices (new addresses, a
// switch port) — each group committed with fsync as the ingest writer does —
// and times `show` lookups by MAC, IP, serial and asset tag.
// Run: build/tests/bench/reconcile/reconcile_bench [--assets 100000] [--runs 3] [--dir DIR]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "collector/admin/asset_lookup.h"
#include "collector/ingest/report_applier.h"
#include "collector/reconcile/asset_records.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"

namespace {

using namespace estate;
using namespace estate::collector;
using Clock = std::chrono::steady_clock;

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

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }
double g_write_seconds = 0;

// Applies `n` observations in reports of 1,000, eight reports per fsync'd
// write, as the Ingestor groups queued reports into one commit.
double Reconcile(Store& store, ReportApplier& applier, uint32_t n, uint32_t salt, uint64_t* seq) {
  const auto start = Clock::now();
  constexpr uint32_t kPerReport = 1000;
  const int64_t now = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  Peer scanner{"bench-scanner", "bench", "bench", v1::PEER_KIND_SCANNER};
  for (uint32_t first = 0; first < n; first += kPerReport * 8) {
    auto batch = store.NewBatch();
    for (uint32_t r = first; r < std::min(n, first + kPerReport * 8); r += kPerReport) {
      v1::ObservationReport report;
      report.set_sequence(++*seq);
      for (uint32_t i = r; i < std::min(n, r + kPerReport); ++i) {
        auto* o = report.add_observations();
        o->set_source(salt % 2 ? v1::OBSERVATION_SOURCE_SNMP_FDB
                               : v1::OBSERVATION_SOURCE_ARP_SWEEP);
        o->set_mac(Mac(i));
        o->set_ip(Ip(i, salt));
        o->set_vendor("Intel Corporate");
        o->set_seen_at(now / 1000000);
        if (salt % 2) {
          o->mutable_switch_port()->set_device("sw-" + std::to_string(i % 50));
          o->mutable_switch_port()->set_port("Gi1/0/" + std::to_string(i % 48 + 1));
          o->mutable_switch_port()->set_vlan(10 + salt);
        }
      }
      auto out = applier.ApplyObservations(*batch, scanner, report, now + salt);
      if (!out.ok) {
        std::fprintf(stderr, "apply failed: %s\n", out.error.message().c_str());
        std::exit(1);
      }
    }
    const auto before_write = Clock::now();
    if (!store.Write(*batch, /*sync=*/true).ok()) std::exit(1);
    g_write_seconds += Seconds(Clock::now() - before_write);
  }
  return Seconds(Clock::now() - start);
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
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
  auto opened = Store::Open({dir});
  if (!opened.ok()) {
    std::fprintf(stderr, "%s\n", opened.status().ToString().c_str());
    return 1;
  }
  Store& store = **opened;
  auto events = EventRecorder::Open(store);
  ReportApplier applier(**events, ReconcileOptions{});
  uint64_t seq = 0;

  const double seed = Reconcile(store, applier, assets, 0, &seq);
  std::printf("seed: %u new devices (each a shadow-device event) in %.2f s\n", assets, seed);

  // Serials and tags on every 100th asset, as registration would set them.
  {
    auto batch = store.NewBatch();
    for (uint32_t i = 0; i < assets; i += 100) {
      auto id = batch->Get(Table::kIdentity, IdentityKey(identity::kMac, Mac(i)));
      auto asset = GetRecord<v1::Asset>(*batch, Table::kAssets, **id);
      v1::Asset before = **asset, after = **asset;
      after.set_serial("SN" + std::to_string(i));
      (*after.mutable_attributes())["asset_tag"] = "TAG-" + std::to_string(i);
      std::vector<IdentityConflict> conflicts;
      (void)Reindex(*batch, before, after, &conflicts);
      PutRecord(*batch, Table::kAssets, after.id(), after);
    }
    (void)store.Write(*batch);
  }

  std::vector<double> times;
  for (int r = 1; r <= runs; ++r) {
    g_write_seconds = 0;
    times.push_back(Reconcile(store, applier, assets, static_cast<uint32_t>(r), &seq));
    std::printf("  (commit %.2f s)\n", g_write_seconds);
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
  std::printf("%-8s %10s %10s %10s\n", "show by", "p50 us", "p99 us", "max us");
  for (const auto& kind : kinds) {
    std::vector<double> us;
    for (int n = 0; n < 10000; ++n) {
      const std::string what = kind.key(rng() % kind.space);
      const auto start = Clock::now();
      auto asset = LookupAsset(store, what);
      us.push_back(Seconds(Clock::now() - start) * 1e6);
      if (!asset.ok()) {
        std::fprintf(stderr, "lookup %s failed: %s\n", what.c_str(),
                     asset.status().ToString().c_str());
        return 1;
      }
    }
    std::printf("%-8s %10.1f %10.1f %10.1f\n", kind.name, Percentile(us, 0.5), Percentile(us, 0.99),
                Percentile(us, 1.0));
  }
  std::printf("store on disk: %.1f MB\n", static_cast<double>(store.DiskBytes()) / 1e6);
  return 0;
}
