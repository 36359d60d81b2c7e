// What one estate-loadgen run measured, and its summary as text and as the
// JSON object printed last on stdout. Plain data; not thread-safe (the runner
// owns it on its one I/O thread).
#ifndef ESTATE_TESTS_LOADGEN_RUN_STATS_H_
#define ESTATE_TESTS_LOADGEN_RUN_STATS_H_

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tests/loadgen/loadgen_options.h"
#include "tests/loadgen/process_usage.h"

namespace estate::loadgen {

// Latency samples in milliseconds; percentiles by nearest rank.
class LatencySamples {
 public:
  void Add(double ms) {
    samples_.push_back(static_cast<float>(ms));
    sorted_ = false;
  }
  size_t size() const { return samples_.size(); }
  // q in [0, 1]; 0 when empty.
  double Percentile(double q);
  double Max();
  double Mean() const;

 private:
  std::vector<float> samples_;
  bool sorted_ = true;
};

// Error keys besides the protocol's ErrorCode names.
inline constexpr char kConnectFailed[] = "CONNECT_FAILED";  // TCP connect refused / failed
inline constexpr char kTransport[] = "TRANSPORT";           // connection lost mid-exchange
inline constexpr char kTimeout[] = "TIMEOUT";               // no answer within --timeout
inline constexpr char kUnexpected[] = "UNEXPECTED_ANSWER";  // wrong body or request_id
inline constexpr char kTlsFailed[] = "TLS_FAILED";          // handshake or certificate check failed
inline constexpr char kBackpressure[] = "ERROR_CODE_UNAVAILABLE";

struct RunStats {
  uint64_t reports = 0;  // acknowledged
  uint64_t full_reports = 0;
  uint64_t delta_reports = 0;
  uint64_t observation_reports = 0;
  uint64_t observations = 0;    // sightings carried by acknowledged observation reports
  uint64_t full_fallbacks = 0;  // delta mode: a node the collector did not hold as expected
  uint64_t connections = 0;
  uint64_t enrollments = 0;  // simulated nodes enrolled during the run
  uint64_t bytes_sent = 0;
  uint64_t bytes_received = 0;
  uint64_t report_bytes = 0;               // frames of acknowledged reports
  std::map<std::string, uint64_t> errors;  // by code, backpressure included
  LatencySamples ack_ms;                   // report sent -> its Ack
  LatencySamples hello_ms;                 // connect + Hello -> HelloAck

  void AddError(const std::string& code, uint64_t n = 1) { errors[code] += n; }
  uint64_t backpressure() const;
  // Every error except backpressure, which is retried.
  uint64_t hard_errors() const;
};

struct RunSummary {
  const LoadgenOptions* options = nullptr;
  uint32_t nodes = 0;  // agents, or scanners in observations mode
  double seconds = 0;  // measured phase, to the last answer
  RunStats* stats = nullptr;
  // Delta mode: the full report each agent sent first.
  uint64_t prime_reports = 0;
  double prime_seconds = 0;
  std::optional<ProcessUsage> collector_before, collector_after;
  // The measured phase's CPU time: this process, and the whole machine.
  double loadgen_cpu_seconds = 0;
  std::optional<HostCpu> host_before, host_after;
};

nlohmann::json SummaryJson(RunSummary& summary);
std::string SummaryText(RunSummary& summary);

}  // namespace estate::loadgen

#endif  // ESTATE_TESTS_LOADGEN_RUN_STATS_H_
