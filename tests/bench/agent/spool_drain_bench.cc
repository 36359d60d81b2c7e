// spool_drain_bench: how long draining a spool of N reports takes, for
// N = 200, 400, 800, 1600 deltas of about 10 KB (issue 24: every ack used to
// rewrite the rest of the spool, so draining was quadratic).
//
// Two figures per N, medians over --runs:
//   reporter  Reporter::Drain to a loopback collector stand-in that acks each
//             report (connect, send, ack, remove from the spool, state file)
//   spool     Spool::Front + PopFront alone (the spool's own I/O)
// and the ratio of each to N = 400: linear draining keeps 1600 within 4x.
// Every append and ack is fsync'd, so the figures depend on the disk: run
// with --dir on the disk the agent's state directory lives on.
//
//   build/tests/bench/agent/spool_drain_bench [--runs 3] [--dir DIR] [--kb 10]
#include <spdlog/sinks/null_sink.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "agent/agent_state.h"
#include "agent/reporter.h"
#include "agent/spool.h"
#include "tests/agent/commands/fake_collector.h"
#include "tests/bench/bench_figures.h"

namespace estate::agent {
namespace {

using bench::Clock;
using bench::Seconds;

// Report i of a chain: a full report first, then deltas on the one before,
// each carrying `bytes` of changed text.
v1::Frame ChainedReport(uint64_t sequence, size_t bytes) {
  v1::Frame frame;
  if (sequence == 1) {
    frame.mutable_full_report()->set_sequence(1);
    frame.mutable_full_report()->mutable_facts()->set_hostname("bench-host");
    return frame;
  }
  auto* delta = frame.mutable_delta_report();
  delta->set_sequence(sequence);
  delta->set_base_sequence(sequence - 1);
  delta->add_replaced_fields(v1::HostFacts::kWarningsFieldNumber);
  delta->mutable_values()->add_warnings(std::string(bytes, static_cast<char>('a' + sequence % 26)));
  return frame;
}

Spool Filled(const std::string& path, uint64_t n, size_t bytes,
             const std::shared_ptr<spdlog::logger>& logger) {
  auto spool = Spool::Open(path, 1ull << 32, logger);
  if (!spool.ok()) {
    std::fprintf(stderr, "spool: %s\n", spool.status().ToString().c_str());
    std::exit(1);
  }
  for (uint64_t seq = 1; seq <= n; ++seq) {
    if (Status st = spool->Append(ChainedReport(seq, bytes)); !st.ok()) {
      std::fprintf(stderr, "append: %s\n", st.ToString().c_str());
      std::exit(1);
    }
  }
  return std::move(*spool);
}

double DrainThroughReporter(const std::string& dir, uint64_t n, size_t bytes,
                            const std::shared_ptr<spdlog::logger>& logger) {
  std::filesystem::remove_all(dir);
  auto state = AgentState::Open(dir);
  if (!state.ok()) std::exit(1);
  Spool spool = Filled(dir + "/spool", n, bytes, logger);
  testing::FakeCollector collector;
  ReporterOptions options;
  options.collector = Endpoint{"127.0.0.1", collector.port()};
  options.tls.insecure_plaintext = true;  // loopback only
  Reporter reporter(options, &*state, &spool, logger);
  const auto start = Clock::now();
  Status st = reporter.Drain(1);
  const double seconds = Seconds(Clock::now() - start);
  if (!st.ok() || !spool.empty() || collector.Frames().size() != n) {
    std::fprintf(stderr, "drain failed: %s, %zu left, %zu received\n", st.ToString().c_str(),
                 spool.size(), collector.Frames().size());
    std::exit(1);
  }
  return seconds;
}

double DrainSpoolAlone(const std::string& dir, uint64_t n, size_t bytes,
                       const std::shared_ptr<spdlog::logger>& logger) {
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  Spool spool = Filled(dir + "/spool", n, bytes, logger);
  uint64_t checksum = 0;
  const auto start = Clock::now();
  while (!spool.empty()) {
    checksum += ReportSequence(spool.Front());
    if (!spool.PopFront().ok()) std::exit(1);
  }
  const double seconds = Seconds(Clock::now() - start);
  if (checksum != n * (n + 1) / 2) std::exit(1);
  return seconds;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace
}  // namespace estate::agent

int main(int argc, char** argv) {
  using namespace estate::agent;
  int runs = 3;
  size_t kb = 10;
  std::string base = std::filesystem::temp_directory_path() / "estate-spool-bench";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--runs") {
      runs = std::atoi(argv[i + 1]);
    } else if (flag == "--dir") {
      base = argv[i + 1];
    } else if (flag == "--kb") {
      kb = static_cast<size_t>(std::atoi(argv[i + 1]));
    } else {
      std::fprintf(stderr, "unknown option %s (--runs, --dir, --kb)\n", argv[i]);
      return 2;
    }
  }
  auto logger =
      std::make_shared<spdlog::logger>("bench", std::make_shared<spdlog::sinks::null_sink_mt>());
  const std::vector<uint64_t> sizes = {200, 400, 800, 1600};
  std::map<uint64_t, double> reporter, spool_only;
  for (uint64_t n : sizes) {
    std::vector<double> r, s;
    for (int run = 0; run < runs; ++run) {
      r.push_back(DrainThroughReporter(base + "/reporter", n, kb * 1024, logger));
      s.push_back(DrainSpoolAlone(base + "/spool", n, kb * 1024, logger));
    }
    reporter[n] = Median(r);
    spool_only[n] = Median(s);
  }
  std::filesystem::remove_all(base);
  std::printf("spool drain, %zu KB deltas, median of %d runs (dir %s)\n", kb, runs, base.c_str());
  std::printf("%8s %12s %8s %12s %8s\n", "reports", "reporter s", "vs 400", "spool s", "vs 400");
  for (uint64_t n : sizes) {
    std::printf("%8lu %12.3f %8.2f %12.3f %8.2f\n", static_cast<unsigned long>(n), reporter[n],
                reporter[n] / reporter[400], spool_only[n], spool_only[n] / spool_only[400]);
  }
  const double ratio = reporter[1600] / reporter[400];
  std::printf("1600 vs 400 through the reporter: %.2fx (linear: 4x, quadratic: 16x)\n", ratio);
  return 0;
}
