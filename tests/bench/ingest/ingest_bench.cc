// ingest_bench: the collector's ingest path alone — reconciliation, storage,
// group commit with fsync — fed by the simulated fleet of estate-loadgen
// (same facts: ~1,500 packages, NICs, disks, DMI) straight into an in-process
// Ingestor, without sockets, TLS or a load generator sharing the cores.
// estate-loadgen measures the same through the real protocol; this one says
// what the writer itself sustains.
//
// Phases: N agents' first full reports (not timed), then M more agents' first
// full reports (timed), then D deltas spread over the N agents (timed). Reports
// are built before a timed phase starts; --delta-rounds R repeats the delta
// phase R times (each host takes D/N more deltas per round).
// Run: build/tests/bench/ingest/ingest_bench [--agents 10000] [--full 2000] [--deltas 100000]
//      [--delta-rounds 1] [--dir DIR] [--keep] [--software-cache-mb 192]
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "collector/ingest/ingestor.h"
#include "estate/logging.h"
#include "tests/bench/bench_figures.h"
#include "tests/bench/bench_ingest.h"
#include "tests/loadgen/package_pool.h"
#include "tests/loadgen/simulated_fleet.h"

namespace {

using namespace estate;
using namespace estate::collector;
using namespace estate::bench;

// With ESTATE_BENCH_PAUSE set, says a timed phase is about to start and waits
// that many seconds, so a profiler can attach to just that phase.
void PauseBefore(const char* phase) {
  if (const char* pause = std::getenv("ESTATE_BENCH_PAUSE")) {
    std::printf("phase %s starts in %s s (pid %d)\n", phase, pause, static_cast<int>(getpid()));
    std::fflush(stdout);
    std::this_thread::sleep_for(std::chrono::seconds(std::atoi(pause)));
  }
}

// What the store had been written when a phase started, to say per report
// what the phase wrote.
struct WriteCounts {
  std::array<uint64_t, kTableCount> tables{};
  uint64_t entries = 0, bytes = 0;

  static WriteCounts Now(Store& store, Ingestor& ingestor) {
    WriteCounts c;
    for (int t = 0; t < kTableCount; ++t) c.tables[t] = store.WritesTo(static_cast<Table>(t));
    c.entries = ingestor.counters().written_entries.load();
    c.bytes = ingestor.counters().written_bytes.load();
    return c;
  }
  void PrintSince(Store& store, Ingestor& ingestor, uint32_t reports, const char* what) const {
    const WriteCounts now = Now(store, ingestor);
    std::printf("  each wrote %.1f keys, %.0f bytes\n",
                static_cast<double>(now.entries - entries) / reports,
                static_cast<double>(now.bytes - bytes) / reports);
    std::printf("  keys per %s by table:", what);
    for (int t = 0; t < kTableCount; ++t) {
      const double n = static_cast<double>(now.tables[t] - tables[t]) / reports;
      if (n >= 0.01) std::printf(" %s %.2f", TableName(static_cast<Table>(t)), n);
    }
    std::printf("\n");
  }
};

}  // namespace

int main(int argc, char** argv) {
  uint32_t agents = 10000, full = 2000, deltas = 100000, rounds = 1;
  std::string dir = "/tmp/estate-ingest-bench";
  bool keep = false;
  IngestorOptions ingest_options = BenchIngestorOptions();
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--agents") agents = static_cast<uint32_t>(std::atoi(next().c_str()));
    if (a == "--full") full = static_cast<uint32_t>(std::atoi(next().c_str()));
    if (a == "--deltas") deltas = static_cast<uint32_t>(std::atoi(next().c_str()));
    // Several delta phases one after the other: how the cost of a delta grows
    // as the hosts' histories and software sets take more changes.
    if (a == "--delta-rounds") rounds = static_cast<uint32_t>(std::atoi(next().c_str()));
    if (a == "--dir") dir = next();
    if (a == "--keep") keep = true;
    if (a == "--software-cache-mb") {
      ingest_options.software_cache_bytes = std::strtoull(next().c_str(), nullptr, 10) << 20;
    }
  }
  std::filesystem::remove_all(dir);
  auto collector = BenchCollector::Open({dir}, ingest_options);
  if (!collector) return 1;
  Store& store = *collector->store;
  Ingestor& ingestor = *collector->ingestor;
  loadgen::FleetOptions fleet_options;
  fleet_options.agents = agents + full;
  const loadgen::SimulatedFleet fleet(fleet_options, loadgen::BuiltinPackagePool());
  std::vector<loadgen::AgentState> states(agents + full);
  uint64_t refused = 0;

  auto full_report = [&](uint32_t agent) {
    Submission s;
    s.peer =
        Peer{fleet.AgentNodeId(agent), fleet.AgentHostname(agent), "bench", v1::PEER_KIND_AGENT};
    s.frame.set_request_id(agent);
    auto* report = s.frame.mutable_full_report();
    report->set_sequence(1);
    fleet.BuildFacts(agent, states[agent], report->mutable_facts());
    return s;
  };

  // Prime: the first report of N agents, in slices so memory stays bounded.
  const auto prime_start = Clock::now();
  for (uint32_t first = 0; first < agents; first += 2000) {
    std::vector<Submission> slice;
    for (uint32_t a = first; a < std::min(agents, first + 2000); ++a)
      slice.push_back(full_report(a));
    SubmitAndWait(ingestor, slice, &refused);
  }
  std::printf("prime: %u agents' first full reports in %.1f s\n", agents,
              Seconds(Clock::now() - prime_start));

  // Timed: M more agents' first full reports.
  std::vector<Submission> fulls;
  for (uint32_t a = agents; a < agents + full; ++a) fulls.push_back(full_report(a));
  // One timed phase: its rate, its CPU (all threads, and the apply thread that
  // bounds it) and what it wrote, per report.
  auto timed = [&](const char* phase, const char* what, std::vector<Submission>& reports) {
    const auto n = static_cast<uint32_t>(reports.size());
    PauseBefore(phase);
    const WriteCounts written = WriteCounts::Now(store, ingestor);
    const double cpu = CpuSeconds();
    const double apply_cpu = ThreadCpuSeconds("estate-apply");
    const double seconds = SubmitAndWait(ingestor, reports, &refused);
    const double all_ms = (CpuSeconds() - cpu) * 1000 / n;
    const double apply_ms = (ThreadCpuSeconds("estate-apply") - apply_cpu) * 1000 / n;
    std::printf(
        "%s reports: %u in %.2f s = %.0f reports/s, %.3f CPU-ms/report (all threads), %.3f on "
        "the apply thread\n",
        phase, n, seconds, n / seconds, all_ms, apply_ms);
    written.PrintSince(store, ingestor, n, what);
  };
  timed("full", "full report", fulls);

  // Timed: deltas round robin over the N agents (sequence base = what is stored).
  std::vector<uint64_t> sequence(agents, 1);
  uint64_t request = 0;
  for (uint32_t round = 0; round < rounds; ++round) {
    std::vector<Submission> batch;
    for (uint32_t d = 0; d < deltas; ++d) {
      const uint32_t agent = d % agents;
      Submission s;
      s.peer =
          Peer{fleet.AgentNodeId(agent), fleet.AgentHostname(agent), "bench", v1::PEER_KIND_AGENT};
      s.frame.set_request_id(request++);
      auto* delta = s.frame.mutable_delta_report();
      fleet.AdvanceRevision(agent, &states[agent], delta);
      delta->set_base_sequence(sequence[agent]);
      delta->set_sequence(++sequence[agent]);
      batch.push_back(std::move(s));
    }
    timed("delta", "delta", batch);
  }
  ingestor.Stop();
  std::printf("refused: %llu; groups committed: %llu\n", static_cast<unsigned long long>(refused),
              static_cast<unsigned long long>(ingestor.counters().commits.load()));
  const SoftwareSetCache& sets = ingestor.software().set_cache();
  std::printf("software set cache: %zu sets in %.1f MB, %llu hits, %llu misses\n", sets.entries(),
              static_cast<double>(sets.bytes()) / 1e6, static_cast<unsigned long long>(sets.hits()),
              static_cast<unsigned long long>(sets.misses()));
  std::printf("store: %.1f MB for %u agents = %.0f bytes/agent; peak RSS %.0f MiB\n",
              static_cast<double>(store.DiskBytes()) / 1e6, agents + full,
              static_cast<double>(store.DiskBytes()) / (agents + full), PeakRssKb() / 1024.0);
  collector.reset();
  if (!keep) std::filesystem::remove_all(dir);
  return refused == 0 ? 0 : 1;
}
