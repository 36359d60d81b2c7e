#include "tests/loadgen/load_runner.h"

// <utility> must precede Asio's coroutine headers with Boost 1.74 + GCC 12.
// clang-format off
#include <utility>
// clang-format on

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "estate/secret_file.h"
#include "tests/loadgen/cycle_worker.h"
#include "tests/loadgen/relay_connection.h"
#include "tests/loadgen/run_context.h"

namespace estate::loadgen {
namespace {

namespace asio = boost::asio;
using asio::awaitable;
using error_code = boost::system::error_code;

void RethrowIfAny(std::exception_ptr e) {
  if (e) std::rethrow_exception(e);
}

}  // namespace

struct LoadRunner::Impl {
  Impl(const LoadgenOptions& o, const SimulatedFleet& f, std::FILE* p) : run(o, f), progress(p) {}

  RunContext run;
  std::FILE* progress;
  std::vector<std::unique_ptr<RelayConnection>> relays;
  std::deque<uint32_t> ready;  // --no-multiplex: nodes not in a cycle, round robin

  bool multiplex() const { return !run.options.no_multiplex; }

  awaitable<void> Progress(Clock::time_point start, const char* label, uint64_t prime_total) {
    RunStats* stats = run.stats;
    const uint64_t phase = run.phase_id;
    uint64_t last_reports = stats->reports;
    auto last_time = start;
    double last_self = SelfCpuSeconds();
    std::optional<ProcessUsage> last_usage;
    if (run.options.collector_pid) {
      auto usage = ReadProcessUsage(run.options.collector_pid);
      if (usage.ok()) last_usage = *usage;
    }
    std::optional<HostCpu> last_host = ReadHostCpu();
    const auto interval = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(run.options.progress_seconds));
    while (run.active > 0 && run.phase_id == phase) {
      co_await SleepFor(interval);
      if (run.active == 0 || run.phase_id != phase) break;
      const auto now = Clock::now();
      const double dt = std::chrono::duration<double>(now - last_time).count();
      const double elapsed = std::chrono::duration<double>(now - start).count();
      const uint64_t reports = stats->reports;
      const double self = SelfCpuSeconds();
      char buf[96];
      std::snprintf(buf, sizeof buf, ", loadgen %.0f%% CPU", 100 * (self - last_self) / dt);
      std::string usage_text = buf;
      last_self = self;
      if (last_usage) {
        auto usage = ReadProcessUsage(run.options.collector_pid);
        if (usage.ok()) {
          std::snprintf(buf, sizeof buf, ", collector %.0f%% CPU %.0f MiB",
                        100 * (usage->cpu_seconds - last_usage->cpu_seconds) / dt,
                        static_cast<double>(usage->rss_kb) / 1024);
          usage_text += buf;
          last_usage = *usage;
        }
      }
      if (auto host = ReadHostCpu(); host && last_host) {
        const double total = host->total_seconds - last_host->total_seconds;
        std::snprintf(
            buf, sizeof buf, ", machine %.0f%% busy",
            total > 0 ? 100 * (host->busy_seconds - last_host->busy_seconds) / total : 0.0);
        usage_text += buf;
        last_host = host;
      }
      if (prime_total) {
        std::fprintf(progress, "[%s %6.1f s] %llu/%llu full reports (%.0f/s)%s\n", label, elapsed,
                     static_cast<unsigned long long>(reports),
                     static_cast<unsigned long long>(prime_total),
                     static_cast<double>(reports - last_reports) / dt, usage_text.c_str());
      } else {
        std::fprintf(progress,
                     "[%s %6.1f s] %llu reports, %.0f/s, ack p50 %.1f ms p99 %.1f ms, errors %llu, "
                     "backpressure %llu, connections %llu%s\n",
                     label, elapsed, static_cast<unsigned long long>(reports),
                     static_cast<double>(reports - last_reports) / dt,
                     run.interval_ms.Percentile(0.5), run.interval_ms.Percentile(0.99),
                     static_cast<unsigned long long>(stats->hard_errors()),
                     static_cast<unsigned long long>(stats->backpressure()),
                     static_cast<unsigned long long>(stats->connections), usage_text.c_str());
      }
      std::fflush(progress);
      run.interval_ms = LatencySamples();
      last_reports = reports;
      last_time = now;
    }
  }

  // Runs one phase until every connection (or worker) is through with it: the
  // prime phase when each node has sent its full report, the measured one when
  // `duration_seconds` have passed and the last answers are in. Returns its
  // length in seconds.
  awaitable<double> Phase(double duration_seconds, const char* label, uint64_t prime_total) {
    const auto start = Clock::now();
    ++run.phase_id;
    run.phase_end = start + std::chrono::duration_cast<Clock::duration>(
                                std::chrono::duration<double>(duration_seconds));
    run.next_slot = start;
    run.finished = start;
    run.interval_ms = LatencySamples();
    const uint32_t nodes = static_cast<uint32_t>(run.nodes.size());
    if (multiplex()) {
      run.active = static_cast<int>(relays.size());
      for (auto& relay : relays) relay->StartPhase();
    } else {
      ready.clear();
      for (uint32_t i = 0; i < nodes; ++i) ready.push_back(i);
      const size_t workers = std::min<size_t>(run.options.connections, nodes);
      run.active = static_cast<int>(workers);
      for (size_t i = 0; i < workers; ++i) {
        asio::co_spawn(run.io, RunCycleWorker(run, ready), RethrowIfAny);
      }
    }
    if (run.active > 0) asio::co_spawn(run.io, Progress(start, label, prime_total), RethrowIfAny);
    while (run.active > 0) {
      run.phase_signal.expires_at(Clock::time_point::max());
      error_code ignored;
      co_await run.phase_signal.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    }
    co_return std::chrono::duration<double>(run.finished - start).count();
  }

  awaitable<void> Main(RunStats* stats, RunSummary* summary) {
    const LoadgenOptions& o = run.options;
    const uint32_t nodes = static_cast<uint32_t>(run.nodes.size());
    if (multiplex()) {
      // Node i belongs to connection i % C for the whole run.
      const uint32_t connections = std::min(o.connections, nodes);
      std::vector<std::vector<uint32_t>> owned(connections);
      for (uint32_t i = 0; i < nodes; ++i) owned[i % connections].push_back(i);
      for (auto& list : owned) {
        relays.push_back(std::make_unique<RelayConnection>(run, std::move(list)));
        asio::co_spawn(run.io, relays.back()->Run(), RethrowIfAny);
      }
    }
    if (o.mode == Mode::kDelta) {
      RunStats prime;
      run.stats = &prime;
      run.priming = true;
      summary->prime_seconds = co_await Phase(1e6, "prime", nodes);
      summary->prime_reports = prime.reports;
      run.priming = false;
      // Prime failures still count: they are errors of this run.
      for (const auto& [code, n] : prime.errors) stats->AddError(code, n);
      stats->connections += prime.connections;
      stats->enrollments += prime.enrollments;
    }
    run.stats = stats;
    if (o.collector_pid) {
      auto usage = ReadProcessUsage(o.collector_pid);
      if (usage.ok()) summary->collector_before = *usage;
    }
    summary->host_before = ReadHostCpu();
    const double self_before = SelfCpuSeconds();
    summary->seconds = co_await Phase(o.duration_seconds, ModeName(o.mode), 0);
    summary->loadgen_cpu_seconds = SelfCpuSeconds() - self_before;
    summary->host_after = ReadHostCpu();
    if (o.collector_pid) {
      auto usage = ReadProcessUsage(o.collector_pid);
      if (usage.ok()) summary->collector_after = *usage;
    }
    for (auto& relay : relays) relay->Stop();
  }
};

LoadRunner::LoadRunner(const LoadgenOptions& options, const SimulatedFleet& fleet,
                       std::FILE* progress)
    : impl_(std::make_unique<Impl>(options, fleet, progress)) {}

LoadRunner::~LoadRunner() = default;

Status LoadRunner::Run(RunStats* stats, RunSummary* summary) {
  RunContext& run = impl_->run;
  const LoadgenOptions& o = run.options;
  error_code ec;
  auto address =
      asio::ip::make_address(o.collector.host == "localhost" ? "127.0.0.1" : o.collector.host, ec);
  if (ec)
    return Status::InvalidArgument("collector address " + o.collector.host + ": " + ec.message());
  // A load test never leaves this machine (the option parser checks it too).
  if (!address.is_loopback()) return Status::InvalidArgument("collector must be on loopback");
  run.endpoint = asio::ip::tcp::endpoint(address, o.collector.port);
  auto tls = MakeTlsClientOptions(o.ca_file, o.collector_fingerprint, o.insecure_plaintext);
  if (!tls.ok()) return tls.status();
  run.tls = *tls;
  ESTATE_RETURN_IF_ERROR(CheckClientTransport(run.tls, o.collector.host));
  if (run.tls.tls()) {
    ESTATE_RETURN_IF_ERROR(ConfigureClientContext(run.tls_context.native_handle(), run.tls));
  }
  if (!o.enroll_secret_file.empty()) {
    auto secret = ReadSecretFile(o.enroll_secret_file, "enroll secret file");
    if (!secret.ok()) return secret.status();
    run.enroll_secret = *secret;
  }
  const uint32_t nodes = run.observations() ? run.fleet.scanners() : run.fleet.agents();
  run.nodes.resize(nodes);
  summary->nodes = nodes;
  try {
    asio::co_spawn(run.io, impl_->Main(stats, summary), RethrowIfAny);
    run.io.run();
  } catch (const std::exception& e) {
    return Status::Unavailable(std::string("load run failed: ") + e.what());
  }
  return Status::Ok();
}

}  // namespace estate::loadgen
