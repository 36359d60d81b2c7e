#include "tests/loadgen/load_runner.h"

// <utility> must precede Asio's coroutine headers with Boost 1.74 + GCC 12.
// clang-format off
#include <utility>
// clang-format on

#include <algorithm>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <deque>
#include <exception>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "estate/framing.h"
#include "estate/secret_file.h"
#include "estate/tls_client.h"
#include "tests/loadgen/det_random.h"

namespace estate::loadgen {
namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;
using error_code = boost::system::error_code;
using Clock = std::chrono::steady_clock;

constexpr char kSoftwareVersion[] = "estate-loadgen/1";

double MillisSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

awaitable<void> Sleep(std::chrono::steady_clock::duration d) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(d);
  error_code ec;
  co_await timer.async_wait(asio::redirect_error(use_awaitable, ec));
}

// One connection to the collector (TLS when `tls` has a CA or a pin, else
// loopback plaintext) with a watchdog on every exchange: when an operation
// outlives the timeout the socket is closed, which completes it with an error
// (Boost 1.74 has no cancel_after).
class Connection {
 public:
  Connection(asio::io_context& io, ssl::context& context, const TlsClientOptions& tls,
             std::chrono::milliseconds timeout, RunStats& stats)
      : shared_(std::make_shared<Shared>(io, context)),
        tls_(tls),
        timer_(io),
        timeout_(timeout),
        stats_(stats) {}
  ~Connection() { Close(); }

  awaitable<bool> Connect(const tcp::endpoint& endpoint, const std::string& host) {
    Arm();
    error_code ec;
    co_await socket().async_connect(endpoint, asio::redirect_error(use_awaitable, ec));
    if (!ec && tls_.tls()) {
      if (!ConfigureClientConnection(shared_->stream.native_handle(), tls_, host).ok()) {
        Disarm();
        failure_ = kTlsFailed;
        co_return false;
      }
      co_await shared_->stream.async_handshake(ssl::stream_base::client,
                                               asio::redirect_error(use_awaitable, ec));
      if (!ec && !CheckPeerPin(shared_->stream.native_handle(), tls_).ok()) {
        Disarm();
        failure_ = kTlsFailed;
        co_return false;
      }
      if (ec && !shared_->timed_out) {
        Disarm();
        failure_ = kTlsFailed;
        co_return false;
      }
    }
    Disarm();
    if (ec) {
      failure_ = shared_->timed_out ? kTimeout : kConnectFailed;
      co_return false;
    }
    socket().set_option(tcp::no_delay(true), ec);
    co_return true;
  }

  // Sends one encoded frame (header included).
  awaitable<bool> Send(const std::string& bytes) {
    Arm();
    error_code ec;
    if (tls_.tls()) {
      co_await asio::async_write(shared_->stream, asio::buffer(bytes),
                                 asio::redirect_error(use_awaitable, ec));
    } else {
      co_await asio::async_write(socket(), asio::buffer(bytes),
                                 asio::redirect_error(use_awaitable, ec));
    }
    Disarm();
    if (ec) co_return Fail();
    stats_.bytes_sent += bytes.size();
    co_return true;
  }

  awaitable<bool> Receive(v1::Frame* frame) {
    Arm();
    char header[kFrameHeaderBytes];
    error_code ec;
    co_await Read(asio::buffer(header), ec);
    if (ec) {
      Disarm();
      co_return Fail();
    }
    auto length = DecodeFrameHeader(std::string_view(header, sizeof header));
    if (!length.ok()) {
      Disarm();
      failure_ = kUnexpected;
      co_return false;
    }
    payload_.resize(*length);
    co_await Read(asio::buffer(payload_), ec);
    Disarm();
    if (ec) co_return Fail();
    stats_.bytes_received += kFrameHeaderBytes + payload_.size();
    if (!DecodeFramePayload(payload_, frame).ok()) {
      failure_ = kUnexpected;
      co_return false;
    }
    co_return true;
  }

  void Close() {
    error_code ignored;
    if (socket().is_open()) {
      socket().shutdown(tcp::socket::shutdown_both, ignored);
      socket().close(ignored);
    }
    timer_.cancel();
  }

  // Why the last operation failed: kConnectFailed, kTransport, kTimeout or kUnexpected.
  const char* failure() const { return failure_; }

 private:
  // Outlives the Connection while a watchdog handler may still run.
  struct Shared {
    Shared(asio::io_context& io, ssl::context& context) : stream(io, context) {}
    ssl::stream<tcp::socket> stream;
    uint64_t generation = 0;
    bool armed = false;
    bool timed_out = false;
  };

  void Arm() {
    auto shared = shared_;
    const uint64_t generation = ++shared->generation;
    shared->armed = true;
    timer_.expires_after(timeout_);
    timer_.async_wait([shared, generation](const error_code& ec) {
      if (ec || !shared->armed || shared->generation != generation) return;
      shared->timed_out = true;
      error_code ignored;
      shared->stream.next_layer().close(ignored);
    });
  }
  void Disarm() {
    shared_->armed = false;
    timer_.cancel();
  }
  bool Fail() {
    failure_ = shared_->timed_out ? kTimeout : kTransport;
    return false;
  }

  tcp::socket& socket() { return shared_->stream.next_layer(); }
  awaitable<void> Read(asio::mutable_buffer buffer, error_code& ec) {
    if (tls_.tls()) {
      co_await asio::async_read(shared_->stream, buffer, asio::redirect_error(use_awaitable, ec));
    } else {
      co_await asio::async_read(socket(), buffer, asio::redirect_error(use_awaitable, ec));
    }
  }

  std::shared_ptr<Shared> shared_;
  const TlsClientOptions& tls_;
  asio::steady_timer timer_;
  std::chrono::milliseconds timeout_;
  RunStats& stats_;
  std::string payload_;
  const char* failure_ = kTransport;
};

// What the collector holds for one simulated node, as far as this run knows.
struct NodeState {
  AgentState agent;
  std::string node_key;              // issued at this run's enrollment of the node
  uint64_t acked = 0;                // highest sequence acknowledged to us
  bool collector_has_facts = false;  // it holds `agent`'s facts as of `acked`
  uint64_t rounds = 0;               // scanner: sweeps reported
};

enum class Outcome { kAcked, kRejected, kFailed };

}  // namespace

struct LoadRunner::Impl {
  Impl(const LoadgenOptions& o, const SimulatedFleet& f, std::FILE* p)
      : options(o), fleet(f), progress(p), pacer(io), jitter(o.seed) {}

  const LoadgenOptions& options;
  const SimulatedFleet& fleet;
  std::FILE* progress;
  asio::io_context io;
  tcp::endpoint endpoint;
  ssl::context tls_context{ssl::context::tls_client};
  TlsClientOptions tls;
  std::string enroll_secret;
  std::vector<NodeState> nodes;
  std::deque<uint32_t> ready;  // nodes not in a cycle, in round-robin order
  RunStats* stats = nullptr;
  bool priming = false;
  Clock::time_point phase_end;    // no new cycle after this
  Clock::time_point retry_limit;  // no backpressure retry after this
  int active_workers = 0;
  Clock::time_point finished;
  asio::steady_timer pacer;
  Clock::time_point next_slot;
  std::mt19937_64 jitter;
  LatencySamples interval_ms;  // for the progress line

  bool observations() const { return options.mode == Mode::kObservations; }
  std::chrono::milliseconds timeout() const {
    return std::chrono::milliseconds(static_cast<int64_t>(options.timeout_seconds * 1000));
  }

  // Waits for the next slot of the global report rate, if there is one.
  awaitable<void> Pace() {
    if (options.rate <= 0 || priming) co_return;
    const auto now = Clock::now();
    if (next_slot < now) next_slot = now;  // idle time earns no burst
    const auto slot = next_slot;
    next_slot += std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(1.0 / options.rate));
    if (slot > now) co_await Sleep(slot - now);
  }

  // Fills `request` with node `node`'s next report given the collector's last
  // stored sequence; `commit` applies the node's new state once acknowledged.
  void BuildReport(uint32_t node, uint64_t last, v1::Frame* request, NodeState* next) {
    NodeState& ns = nodes[node];
    *next = ns;
    const uint64_t seq = std::max(last, ns.acked) + 1;
    const int64_t now = UnixNow();
    if (observations()) {
      auto* report = request->mutable_observations();
      report->set_sequence(seq);
      fleet.BuildObservations(fleet.ScannerSubnet(node, ns.rounds), now, options.fdb, report);
      next->acked = seq;
      next->rounds = ns.rounds + 1;
      return;
    }
    const bool want_delta = options.mode == Mode::kDelta && !priming;
    if (want_delta && ns.collector_has_facts && last == ns.acked) {
      auto* delta = request->mutable_delta_report();
      fleet.AdvanceRevision(node, &next->agent, delta);
      delta->set_sequence(last + 1);
      delta->set_base_sequence(last);
      delta->set_collected_at(now);
      next->acked = last + 1;
      return;
    }
    if (want_delta) stats->full_fallbacks++;
    auto* full = request->mutable_full_report();
    full->set_sequence(seq);
    full->set_collected_at(now);
    fleet.BuildFacts(node, ns.agent, full->mutable_facts());
    next->acked = seq;
    next->collector_has_facts = true;
  }

  // Sends `request` until it is acknowledged, rejected or the connection fails;
  // backpressure is counted and waited out.
  awaitable<Outcome> Exchange(Connection& connection, v1::Frame& request, uint64_t* request_id,
                              v1::ErrorCode* rejected_code) {
    for (;;) {
      request.set_request_id(++*request_id);
      auto bytes = EncodeFrame(request);
      if (!bytes.ok()) {
        stats->AddError("FRAME_TOO_LARGE");
        co_return Outcome::kRejected;
      }
      const auto sent_at = Clock::now();
      v1::Frame answer;
      if (!co_await connection.Send(*bytes) || !co_await connection.Receive(&answer)) {
        stats->AddError(connection.failure());
        co_return Outcome::kFailed;
      }
      if (answer.request_id() != request.request_id()) {
        stats->AddError(kUnexpected);
        co_return Outcome::kFailed;
      }
      if (answer.has_ack()) {
        const double ms = MillisSince(sent_at);
        stats->ack_ms.Add(ms);
        interval_ms.Add(ms);
        stats->report_bytes += bytes->size();
        co_return Outcome::kAcked;
      }
      if (!answer.has_error()) {
        stats->AddError(kUnexpected);
        co_return Outcome::kFailed;
      }
      const v1::ErrorCode code = answer.error().code();
      stats->AddError(v1::ErrorCode_Name(code));
      if (code != v1::ERROR_CODE_UNAVAILABLE && code != v1::ERROR_CODE_RATE_LIMITED) {
        *rejected_code = code;
        co_return Outcome::kRejected;
      }
      if (Clock::now() >= retry_limit) co_return Outcome::kFailed;
      // Back off as told, with jitter so that refused agents do not return in step.
      const uint32_t after =
          answer.error().retry_after_ms() ? answer.error().retry_after_ms() : 100;
      std::uniform_real_distribution<double> spread(0.5, 1.5);
      co_await Sleep(
          std::chrono::microseconds(static_cast<int64_t>(after * 1000 * spread(jitter))));
    }
  }

  // One connection: Hello as `node`, its report(s), close.
  awaitable<void> Cycle(uint32_t node) {
    co_await Pace();
    Connection connection(io, tls_context, tls, timeout(), *stats);
    const auto started = Clock::now();
    if (!co_await connection.Connect(endpoint, options.collector.host)) {
      stats->AddError(connection.failure());
      co_await Sleep(std::chrono::milliseconds(100));  // collector down or overloaded
      co_return;
    }
    stats->connections++;
    uint64_t request_id = 0;
    // Each simulated node enrolls once, as a real one does, then uses its key.
    if (!enroll_secret.empty() && nodes[node].node_key.empty()) {
      v1::Frame enroll_frame;
      enroll_frame.set_request_id(++request_id);
      auto* enroll = enroll_frame.mutable_enroll();
      enroll->set_enroll_secret(enroll_secret);
      enroll->set_kind(observations() ? v1::PEER_KIND_SCANNER : v1::PEER_KIND_AGENT);
      enroll->set_node_id(observations() ? fleet.ScannerNodeId(node) : fleet.AgentNodeId(node));
      enroll->set_hostname(observations() ? fleet.ScannerHostname(node)
                                          : fleet.AgentHostname(node));
      auto enroll_bytes = EncodeFrame(enroll_frame);
      v1::Frame enrolled;
      if (!enroll_bytes.ok() || !co_await connection.Send(*enroll_bytes) ||
          !co_await connection.Receive(&enrolled)) {
        stats->AddError(connection.failure());
        co_return;
      }
      if (!enrolled.has_enroll_ack()) {
        stats->AddError(enrolled.has_error() ? v1::ErrorCode_Name(enrolled.error().code())
                                             : std::string(kUnexpected));
        co_return;
      }
      stats->enrollments++;
      nodes[node].node_key = enrolled.enroll_ack().node_key();
    }
    v1::Frame hello_frame;
    hello_frame.set_request_id(++request_id);
    auto* hello = hello_frame.mutable_hello();
    hello->set_protocol_version(kProtocolVersion);
    hello->set_min_protocol_version(kMinProtocolVersion);
    hello->set_kind(observations() ? v1::PEER_KIND_SCANNER : v1::PEER_KIND_AGENT);
    hello->set_node_id(observations() ? fleet.ScannerNodeId(node) : fleet.AgentNodeId(node));
    hello->set_hostname(observations() ? fleet.ScannerHostname(node) : fleet.AgentHostname(node));
    hello->set_software_version(kSoftwareVersion);
    hello->set_node_key(nodes[node].node_key);
    auto bytes = EncodeFrame(hello_frame);
    v1::Frame answer;
    if (!bytes.ok() || !co_await connection.Send(*bytes) || !co_await connection.Receive(&answer)) {
      stats->AddError(connection.failure());
      co_return;
    }
    if (answer.has_error()) {
      stats->AddError(v1::ErrorCode_Name(answer.error().code()));
      co_return;
    }
    if (!answer.has_hello_ack()) {
      stats->AddError(kUnexpected);
      co_return;
    }
    stats->hello_ms.Add(MillisSince(started));
    uint64_t last = answer.hello_ack().last_sequence();

    // The prime phase gives each agent exactly one full report.
    const uint32_t reports = priming ? 1 : options.reports_per_connection;
    for (uint32_t k = 0; k < reports; ++k) {
      if (k > 0) {
        if (Clock::now() >= phase_end) break;
        co_await Pace();
      }
      v1::Frame request;
      NodeState next;
      BuildReport(node, last, &request, &next);
      v1::ErrorCode code = v1::ERROR_CODE_UNSPECIFIED;
      const Outcome outcome = co_await Exchange(connection, request, &request_id, &code);
      if (outcome != Outcome::kAcked) {
        if (code == v1::ERROR_CODE_FULL_REPORT_REQUIRED) nodes[node].collector_has_facts = false;
        break;
      }
      nodes[node] = std::move(next);
      last = nodes[node].acked;
      stats->reports++;
      if (request.has_full_report()) stats->full_reports++;
      if (request.has_delta_report()) stats->delta_reports++;
      if (request.has_observations()) {
        stats->observation_reports++;
        stats->observations += static_cast<uint64_t>(request.observations().observations_size());
      }
    }
    connection.Close();
  }

  awaitable<void> Worker() {
    while (Clock::now() < phase_end && !ready.empty()) {
      const uint32_t node = ready.front();
      ready.pop_front();
      co_await Cycle(node);
      // The prime phase visits each agent once; the measured phase goes round.
      if (!priming) ready.push_back(node);
    }
    if (--active_workers == 0) finished = Clock::now();
  }

  awaitable<void> Progress(Clock::time_point start, const char* label, uint64_t prime_total) {
    uint64_t last_reports = stats->reports;
    auto last_time = start;
    std::optional<ProcessUsage> last_usage;
    if (options.collector_pid) {
      auto usage = ReadProcessUsage(options.collector_pid);
      if (usage.ok()) last_usage = *usage;
    }
    std::optional<HostCpu> last_host = ReadHostCpu();
    const auto interval = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(options.progress_seconds));
    while (active_workers > 0) {
      co_await Sleep(interval);
      if (active_workers == 0) break;
      const auto now = Clock::now();
      const double dt = std::chrono::duration<double>(now - last_time).count();
      const double elapsed = std::chrono::duration<double>(now - start).count();
      const uint64_t reports = stats->reports;
      std::string collector;
      if (last_usage) {
        auto usage = ReadProcessUsage(options.collector_pid);
        if (usage.ok()) {
          char buf[96];
          std::snprintf(buf, sizeof buf, ", collector %.0f%% CPU %.0f MiB",
                        100 * (usage->cpu_seconds - last_usage->cpu_seconds) / dt,
                        static_cast<double>(usage->rss_kb) / 1024);
          collector = buf;
          last_usage = *usage;
        }
      }
      if (auto host = ReadHostCpu(); host && last_host) {
        const double total = host->total_seconds - last_host->total_seconds;
        char buf[48];
        std::snprintf(
            buf, sizeof buf, ", machine %.0f%% busy",
            total > 0 ? 100 * (host->busy_seconds - last_host->busy_seconds) / total : 0.0);
        collector += buf;
        last_host = host;
      }
      if (prime_total) {
        std::fprintf(progress, "[%s %6.1f s] %llu/%llu full reports (%.0f/s)%s\n", label, elapsed,
                     static_cast<unsigned long long>(reports),
                     static_cast<unsigned long long>(prime_total),
                     static_cast<double>(reports - last_reports) / dt, collector.c_str());
      } else {
        std::fprintf(progress,
                     "[%s %6.1f s] %llu reports, %.0f/s, ack p50 %.1f ms p99 %.1f ms, errors %llu, "
                     "backpressure %llu, connections %llu%s\n",
                     label, elapsed, static_cast<unsigned long long>(reports),
                     static_cast<double>(reports - last_reports) / dt, interval_ms.Percentile(0.5),
                     interval_ms.Percentile(0.99),
                     static_cast<unsigned long long>(stats->hard_errors()),
                     static_cast<unsigned long long>(stats->backpressure()),
                     static_cast<unsigned long long>(stats->connections), collector.c_str());
      }
      std::fflush(progress);
      interval_ms = LatencySamples();
      last_reports = reports;
      last_time = now;
    }
  }

  // Runs workers over `ready` until it is drained (prime) or `duration` passes.
  double RunPhase(double duration_seconds, const char* label, uint64_t prime_total) {
    const auto start = Clock::now();
    const auto duration = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(duration_seconds));
    phase_end = start + duration;
    retry_limit = phase_end + timeout();
    next_slot = start;
    const size_t workers = std::min<size_t>(options.connections, ready.size());
    active_workers = static_cast<int>(workers);
    finished = start;
    auto rethrow = [](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);
    };
    for (size_t i = 0; i < workers; ++i) asio::co_spawn(io, Worker(), rethrow);
    if (workers > 0) asio::co_spawn(io, Progress(start, label, prime_total), rethrow);
    io.restart();
    io.run();
    return std::chrono::duration<double>(finished - start).count();
  }
};

LoadRunner::LoadRunner(const LoadgenOptions& options, const SimulatedFleet& fleet,
                       std::FILE* progress)
    : impl_(std::make_unique<Impl>(options, fleet, progress)) {}

LoadRunner::~LoadRunner() = default;

Status LoadRunner::Run(RunStats* stats, RunSummary* summary) {
  Impl& m = *impl_;
  const LoadgenOptions& o = m.options;
  error_code ec;
  auto address =
      asio::ip::make_address(o.collector.host == "localhost" ? "127.0.0.1" : o.collector.host, ec);
  if (ec)
    return Status::InvalidArgument("collector address " + o.collector.host + ": " + ec.message());
  if (!address.is_loopback()) return Status::InvalidArgument("collector must be on loopback");
  m.endpoint = tcp::endpoint(address, o.collector.port);
  auto tls = MakeTlsClientOptions(o.ca_file, o.collector_fingerprint, o.insecure_plaintext);
  if (!tls.ok()) return tls.status();
  m.tls = *tls;
  ESTATE_RETURN_IF_ERROR(CheckClientTransport(m.tls, o.collector.host));
  if (m.tls.tls()) {
    ESTATE_RETURN_IF_ERROR(ConfigureClientContext(m.tls_context.native_handle(), m.tls));
  }
  if (!o.enroll_secret_file.empty()) {
    auto secret = ReadSecretFile(o.enroll_secret_file, "enroll secret file");
    if (!secret.ok()) return secret.status();
    m.enroll_secret = *secret;
  }
  const uint32_t nodes = m.observations() ? m.fleet.scanners() : m.fleet.agents();
  m.nodes.resize(nodes);
  summary->nodes = nodes;

  try {
    if (o.mode == Mode::kDelta) {
      RunStats prime;
      m.stats = &prime;
      m.priming = true;
      for (uint32_t i = 0; i < nodes; ++i) m.ready.push_back(i);
      summary->prime_seconds = m.RunPhase(1e6, "prime", nodes);
      summary->prime_reports = prime.reports;
      m.priming = false;
      // Prime failures still count: they are errors of this run.
      for (const auto& [code, n] : prime.errors) stats->AddError(code, n);
      stats->connections += prime.connections;
    }
    m.stats = stats;
    m.ready.clear();
    for (uint32_t i = 0; i < nodes; ++i) m.ready.push_back(i);
    if (o.collector_pid) {
      auto usage = ReadProcessUsage(o.collector_pid);
      if (usage.ok()) summary->collector_before = *usage;
    }
    summary->host_before = ReadHostCpu();
    const double self_before = SelfCpuSeconds();
    summary->seconds = m.RunPhase(o.duration_seconds, ModeName(o.mode), 0);
    summary->loadgen_cpu_seconds = SelfCpuSeconds() - self_before;
    summary->host_after = ReadHostCpu();
    if (o.collector_pid) {
      auto usage = ReadProcessUsage(o.collector_pid);
      if (usage.ok()) summary->collector_after = *usage;
    }
  } catch (const std::exception& e) {
    return Status::Unavailable(std::string("load run failed: ") + e.what());
  }
  return Status::Ok();
}

}  // namespace estate::loadgen
