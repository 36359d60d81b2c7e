// scale_bench: the collector at inventory size, in process. Seeds a store
// with A agents (first full reports of estate-loadgen's simulated fleet:
// ~1,500 packages, NICs, disks, DMI) and D agent-less devices seen by ARP
// sweeps (each a shadow device), tags every 100th asset, and compacts it.
// Then a fresh process opens that store as estated does at start and
// measures what admins and agents get at that size: `show` by MAC, IP,
// serial and asset tag (the admin command with its JSON answer; p50/p99),
// `assets` with filters, `report`, and the delta-report ingest rate against
// the whole inventory; the store's bytes on disk per asset and that
// process's peak RSS (the block cache and memtables are bounded, so it says
// what a collector of that size needs).
//
// Run: build/tests/bench/scale/scale_bench [--agents 10000] [--devices 90000]
//      [--deltas 50000] [--queries 2000] [--dir DIR] [--keep] [--reuse]
// --reuse measures an existing --dir seeded earlier with the same sizes
// (queries only).
// The last line is one JSON object with every figure.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "collector/admin/admin_args.h"
#include "collector/admin/command_registry.h"
#include "collector/ingest/ingestor.h"
#include "collector/net/server_counters.h"
#include "collector/reconcile/asset_records.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "estate/logging.h"
#include "tests/bench/bench_figures.h"
#include "tests/bench/bench_ingest.h"
#include "tests/loadgen/package_pool.h"
#include "tests/loadgen/simulated_fleet.h"

namespace {

using namespace estate;
using namespace estate::collector;
using namespace estate::bench;

double Median(std::vector<double> v) { return Percentile(std::move(v), 0.5); }

// Agent-less device i: an Intel OUI (so a permanent MAC the engine keys on)
// and an address in 172.16.0.0/12, away from the fleet's 10.0.0.0/8.
std::string DeviceMac(uint32_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "00:1b:21:%02x:%02x:%02x", (i >> 16) & 0xff, (i >> 8) & 0xff,
                i & 0xff);
  return buf;
}

std::string DeviceIp(uint32_t i) {
  return "172." + std::to_string(16 + ((i >> 16) & 0x0f)) + "." + std::to_string((i >> 8) & 0xff) +
         "." + std::to_string(i & 0xff);
}

std::string Tag(uint32_t n) { return "TAG-" + std::to_string(n); }

struct Sizes {
  uint32_t agents = 10000;
  uint32_t devices = 90000;
  uint32_t deltas = 50000;
  uint32_t queries = 2000;
};

// Submits every frame as sessions do and waits for all answers; false when
// any is refused.
bool SubmitAll(Ingestor& ingestor, std::vector<Submission>& frames) {
  uint64_t refused = 0;
  SubmitAndWait(ingestor, frames, &refused);
  return refused == 0;
}

Peer AgentPeer(const loadgen::SimulatedFleet& fleet, uint32_t agent) {
  return Peer{fleet.AgentNodeId(agent), fleet.AgentHostname(agent), "bench", v1::PEER_KIND_AGENT};
}

// Phase 1 (its own process): every asset's first report, tags, compaction.
int Seed(const Sizes& sizes, const std::string& dir) {
  std::filesystem::remove_all(dir);
  auto collector = BenchCollector::Open({dir});
  if (!collector) return 1;
  Store& store = *collector->store;
  Ingestor& ingestor = *collector->ingestor;
  loadgen::FleetOptions fleet_options;
  fleet_options.agents = sizes.agents;
  const loadgen::SimulatedFleet fleet(fleet_options, loadgen::BuiltinPackagePool());
  const loadgen::AgentState initial;
  const auto start = Clock::now();
  std::vector<Submission> frames;
  for (uint32_t a = 0; a < sizes.agents; ++a) {
    v1::Frame frame;
    frame.set_request_id(a);
    frame.mutable_full_report()->set_sequence(1);
    fleet.BuildFacts(a, initial, frame.mutable_full_report()->mutable_facts());
    frames.push_back({AgentPeer(fleet, a), std::move(frame)});
    if (frames.size() == 1000 && !SubmitAll(ingestor, frames)) return 1;
    if (a % 20000 == 19999) std::fprintf(stderr, "seed: %u agents\n", a + 1);
  }
  if (!SubmitAll(ingestor, frames)) return 1;
  const double agents_s = Seconds(Clock::now() - start);
  const auto devices_start = Clock::now();
  const Peer scanner{"bench-scanner", "bench-scanner", "bench", v1::PEER_KIND_SCANNER};
  const int64_t now_s = UnixNow();
  uint64_t sequence = 0;
  for (uint32_t first = 0; first < sizes.devices; first += 1000) {
    v1::Frame frame;
    auto* report = frame.mutable_observations();
    report->set_sequence(++sequence);
    for (uint32_t i = first; i < std::min(sizes.devices, first + 1000); ++i) {
      auto* o = report->add_observations();
      o->set_source(v1::OBSERVATION_SOURCE_ARP_SWEEP);
      o->set_mac(DeviceMac(i));
      o->set_ip(DeviceIp(i));
      o->set_vendor("Intel Corporate");
      o->set_seen_at(now_s);
    }
    frames.push_back({scanner, std::move(frame)});
    if (frames.size() == 100 && !SubmitAll(ingestor, frames)) return 1;
  }
  if (!SubmitAll(ingestor, frames)) return 1;
  const double devices_s = Seconds(Clock::now() - devices_start);
  ingestor.Stop();

  // An asset tag on every 100th asset (agents first, then devices), as
  // registration would set them; `show TAG` resolves through the tag index.
  uint32_t tagged = 0;
  {
    auto batch = store.NewBatch();
    auto tag = [&](const std::string& mac) {
      if (!RegisterAsset(*batch, mac, "", Tag(tagged))) return false;
      ++tagged;
      return true;
    };
    for (uint32_t a = 0; a < sizes.agents; a += 100) {
      // The next agent whose primary MAC is indexed (not a VM's local one).
      uint32_t b = a;
      while (b < sizes.agents && !tag(fleet.PrimaryStation(b).mac)) ++b;
      if (b == sizes.agents) return 1;
    }
    for (uint32_t d = 0; d < sizes.devices; d += 100) {
      if (!tag(DeviceMac(d))) return 1;
    }
    if (Status st = store.Write(*batch); !st.ok()) return 1;
  }
  const uint64_t written = store.DiskBytes();
  if (Status st = store.CompactAll(); !st.ok()) {
    std::fprintf(stderr, "%s\n", st.ToString().c_str());
    return 1;
  }
  std::printf("seed: %u agents' full reports in %.1f s (%.0f/s), %u devices in %.1f s; %u tagged\n",
              sizes.agents, agents_s, sizes.agents / agents_s, sizes.devices, devices_s, tagged);
  std::printf("seed: store %.1f MB as written (SST + WAL), %.1f MB compacted\n", written / 1e6,
              store.DiskBytes() / 1e6);
  std::fflush(stdout);  // the child ends with _exit
  return 0;
}

struct QueryKind {
  const char* name;
  std::vector<std::string> keys;
};

// Phase 2: a fresh process, as estated after a restart.
int Measure(const Sizes& sizes, const std::string& dir) {
  const uint64_t assets = uint64_t{sizes.agents} + sizes.devices;
  const auto open_start = Clock::now();
  auto collector = BenchCollector::Open({dir, 256u << 20, 192u << 20, false});
  if (!collector) return 1;
  Store& store = *collector->store;
  Ingestor& ingestor = *collector->ingestor;
  const uint64_t disk = store.DiskBytes();
  const double open_s = Seconds(Clock::now() - open_start);
  loadgen::FleetOptions fleet_options;
  fleet_options.agents = sizes.agents;
  const loadgen::SimulatedFleet fleet(fleet_options, loadgen::BuiltinPackagePool());

  // Identifiers of random assets, agents and devices alike.
  std::mt19937 rng(42);
  QueryKind mac{"mac", {}}, ip{"ip", {}}, serial{"serial", {}}, tag{"tag", {}};
  const uint32_t tagged = (sizes.agents + 99) / 100 + (sizes.devices + 99) / 100;
  const loadgen::AgentState initial;
  while (serial.keys.size() < sizes.queries && sizes.agents > 0) {
    v1::HostFacts facts;
    fleet.BuildFacts(rng() % sizes.agents, initial, &facts);
    if (!facts.dmi().serial().empty()) serial.keys.push_back(facts.dmi().serial());
  }
  for (uint32_t q = 0; q < sizes.queries; ++q) {
    const uint64_t pick = rng() % assets;
    if (pick < sizes.agents) {
      const auto station = fleet.PrimaryStation(static_cast<uint32_t>(pick));
      // A locally administered MAC (QEMU's 52:54:00) is no identifier: the
      // engine does not index it, so `show` by it rightly finds nothing.
      if (std::stoul(station.mac.substr(0, 2), nullptr, 16) & 0x02) {
        --q;
        continue;
      }
      mac.keys.push_back(station.mac);
      ip.keys.push_back(station.ip);
    } else {
      mac.keys.push_back(DeviceMac(static_cast<uint32_t>(pick - sizes.agents)));
      ip.keys.push_back(DeviceIp(static_cast<uint32_t>(pick - sizes.agents)));
    }
    tag.keys.push_back(Tag(rng() % tagged));
  }

  CommandRegistry commands = MakeBuiltinCommands();
  ServerCounters counters;
  Caller viewer;
  viewer.role = Role::kViewer;
  AdminContext context{store, counters, ingestor, viewer};
  auto run = [&](const v1::AdminRequest& request, double* seconds) -> bool {
    const auto start = Clock::now();
    const v1::AdminResponse response = commands.Execute(request, context);
    *seconds = Seconds(Clock::now() - start);
    if (!response.ok()) {
      std::fprintf(stderr, "%s failed: %s\n", request.command().c_str(), response.error().c_str());
    }
    return response.ok();
  };
  std::string json = "{\"agents\":" + std::to_string(sizes.agents) +
                     ",\"devices\":" + std::to_string(sizes.devices) +
                     ",\"assets\":" + std::to_string(assets);
  auto add = [&](const std::string& key, double value) {
    char buf[64];
    std::snprintf(buf, sizeof buf, ",\"%s\":%.3f", key.c_str(), value);
    json += buf;
  };
  std::printf("open: %.2f s (store, catalogue, software totals)\n", open_s);
  add("open_s", open_s);
  std::printf("%-8s %10s %10s   (us, `show` admin command with its JSON answer)\n", "show by",
              "p50", "p99");
  for (QueryKind* kind : {&mac, &ip, &serial, &tag}) {
    if (kind->keys.empty()) continue;
    std::vector<double> us;
    for (const std::string& key : kind->keys) {
      v1::AdminRequest request;
      request.set_command("show");
      request.add_args(key);
      double s = 0;
      if (!run(request, &s)) return 1;
      us.push_back(s * 1e6);
    }
    std::printf("%-8s %10.1f %10.1f\n", kind->name, Percentile(us, 0.5), Percentile(us, 0.99));
    add(std::string("show_") + kind->name + "_p50_us", Percentile(us, 0.5));
    add(std::string("show_") + kind->name + "_p99_us", Percentile(us, 0.99));
  }

  // `assets` and `report`: each run 3 times, the median.
  struct Listing {
    const char* label;
    const char* key;
    std::vector<std::pair<std::string, std::string>> options;
  };
  const std::vector<Listing> listings = {
      {"assets --subnet 10.0.0.0/16", "assets_subnet", {{"subnet", "10.0.0.0/16"}}},
      {"assets --os debian --managed --limit 1000",
       "assets_os_managed",
       {{"os", "debian"}, {"managed", ""}, {"limit", "1000"}}},
      {"assets --has-software openssl --limit 100",
       "assets_has_software",
       {{"has-software", "openssl"}, {"limit", "100"}}},
      {"assets --shadow --limit 1000", "assets_shadow", {{"shadow", ""}, {"limit", "1000"}}},
  };
  for (const auto& listing : listings) {
    std::vector<double> runs;
    for (int r = 0; r < 3; ++r) {
      v1::AdminRequest request;
      request.set_command("assets");
      for (const auto& [k, v] : listing.options) (*request.mutable_options())[k] = v;
      double s = 0;
      if (!run(request, &s)) return 1;
      runs.push_back(s * 1e3);
    }
    std::printf("%-44s median %8.1f ms\n", listing.label, Median(runs));
    add(std::string(listing.key) + "_ms", Median(runs));
  }
  {
    std::vector<double> runs;
    for (int r = 0; r < 3; ++r) {
      v1::AdminRequest request;
      request.set_command("report");
      double s = 0;
      if (!run(request, &s)) return 1;
      runs.push_back(s);
    }
    std::printf("%-44s median %8.3f s\n", "report", Median(runs));
    add("report_s", Median(runs));
  }

  // Deltas against the whole inventory, round robin over the agents.
  if (sizes.agents > 0 && sizes.deltas > 0) {
    std::vector<loadgen::AgentState> states(sizes.agents);
    std::vector<uint64_t> sequence(sizes.agents, 1);
    std::vector<Submission> frames;
    for (uint32_t d = 0; d < sizes.deltas; ++d) {
      const uint32_t agent = d % sizes.agents;
      v1::Frame frame;
      frame.set_request_id(d);
      auto* delta = frame.mutable_delta_report();
      fleet.AdvanceRevision(agent, &states[agent], delta);
      delta->set_base_sequence(sequence[agent]);
      delta->set_sequence(++sequence[agent]);
      frames.push_back({AgentPeer(fleet, agent), std::move(frame)});
    }
    const double cpu = CpuSeconds();
    const auto start = Clock::now();
    if (!SubmitAll(ingestor, frames)) return 1;
    const double s = Seconds(Clock::now() - start);
    const double cpu_ms = (CpuSeconds() - cpu) * 1000 / sizes.deltas;
    std::printf("deltas: %u in %.2f s = %.0f reports/s, %.3f CPU-ms/report\n", sizes.deltas, s,
                sizes.deltas / s, cpu_ms);
    add("delta_reports_per_s", sizes.deltas / s);
    add("delta_cpu_ms", cpu_ms);
  }
  ingestor.Stop();
  const double rss_mib = PeakRssKb() / 1024.0;
  std::printf("store: %.1f MB compacted = %.0f bytes/asset; peak RSS %.0f MiB\n", disk / 1e6,
              static_cast<double>(disk) / static_cast<double>(assets), rss_mib);
  add("disk_bytes_per_asset", static_cast<double>(disk) / static_cast<double>(assets));
  add("disk_mb", disk / 1e6);
  add("peak_rss_mib", rss_mib);
  std::printf("%s}\n", json.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Sizes sizes;
  std::string dir = "/tmp/estate-scale-bench";
  bool keep = false, reuse = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> uint32_t {
      return i + 1 < argc ? static_cast<uint32_t>(std::strtoul(argv[++i], nullptr, 10)) : 0;
    };
    if (a == "--agents") {
      sizes.agents = next();
    } else if (a == "--devices") {
      sizes.devices = next();
    } else if (a == "--deltas") {
      sizes.deltas = next();
    } else if (a == "--queries") {
      sizes.queries = next();
    } else if (a == "--dir" && i + 1 < argc) {
      dir = argv[++i];
    } else if (a == "--keep") {
      keep = true;
    } else if (a == "--reuse") {
      reuse = true;
    } else {
      std::fprintf(stderr,
                   "usage: scale_bench [--agents N] [--devices N] [--deltas N] [--queries N] "
                   "[--dir DIR] [--keep] [--reuse]\n");
      return 2;
    }
  }
  // A measured store has moved on from the seeded sequences: no deltas again.
  if (reuse) sizes.deltas = 0;
  if (sizes.queries == 0 || uint64_t{sizes.agents} + sizes.devices == 0) return 2;
  std::fflush(stdout);
  if (!reuse) {
    // The seed runs in a child, so the measured process starts as estated does.
    const pid_t child = fork();
    if (child == 0) _exit(Seed(sizes, dir));
    int status = 0;
    if (child < 0 || waitpid(child, &status, 0) != child || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
      std::fprintf(stderr, "seeding failed\n");
      return 1;
    }
  }
  const int rc = Measure(sizes, dir);
  if (!keep && !reuse) std::filesystem::remove_all(dir);
  return rc;
}
