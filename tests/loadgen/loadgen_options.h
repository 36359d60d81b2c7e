// Command line of estate-loadgen. Parsing is a pure function, tested apart.
#ifndef ESTATE_TESTS_LOADGEN_LOADGEN_OPTIONS_H_
#define ESTATE_TESTS_LOADGEN_LOADGEN_OPTIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "estate/endpoint.h"
#include "estate/status.h"

namespace estate::loadgen {

enum class Mode { kFull, kDelta, kObservations };

const char* ModeName(Mode mode);

struct LoadgenOptions {
  Endpoint collector;
  Mode mode = Mode::kFull;
  uint32_t agents = 1000;
  double duration_seconds = 10;
  uint32_t connections = 200;  // relay connections (node i on i % C), or concurrent cycles
  uint32_t window = 32;        // unanswered reports per relay connection (at most max_in_flight)
  bool no_multiplex = false;   // one node per connection at a time, as real agents connect
  double rate = 0;             // reports per second over all connections; 0 = as fast as acks allow
  uint64_t seed = 1;
  int collector_pid = 0;  // read its CPU time and peak RSS from /proc
  uint32_t scanners = 0;  // observations mode; 0 = one per subnet, at least 4, at most connections
  bool fdb = false;       // observations carry a switch forwarding table
  uint32_t reports_per_connection = 1;  // --no-multiplex: reports one node sends per connection
  uint32_t packages = 1500;             // mean packages per agent
  double timeout_seconds = 30;          // per network exchange
  double progress_seconds = 1;
  // How to reach the collector: TLS trusting a CA and/or a pinned certificate,
  // or loopback plaintext; an enroll secret makes each simulated node enroll.
  std::string ca_file;
  std::string collector_fingerprint;
  bool insecure_plaintext = false;
  std::string enroll_secret_file;
  bool show_help = false;
};

const char* LoadgenUsage();

// InvalidArgument for an unknown flag, a missing value or one out of range.
Result<LoadgenOptions> ParseLoadgenOptions(const std::vector<std::string>& args);

}  // namespace estate::loadgen

#endif  // ESTATE_TESTS_LOADGEN_LOADGEN_OPTIONS_H_
