// LoadRunner: plays a SimulatedFleet against one estated over loopback TCP.
//
// The protocol binds a connection to the one node named in its Hello (a second
// Hello is refused and the connection closed), so N agents cannot share a few
// hundred long-lived connections. Instead `connections` coroutines each cycle
// through the nodes as real agents do: connect, Hello as node i, send its
// report(s), wait for each Ack, close, take the next node. Backpressure
// (ERROR_CODE_UNAVAILABLE) is counted, waited out (retry_after_ms) and the same
// report sent again.
//
// One thread, one io_context, C++20 coroutines. Run() is called once.
#ifndef ESTATE_TESTS_LOADGEN_LOAD_RUNNER_H_
#define ESTATE_TESTS_LOADGEN_LOAD_RUNNER_H_

#include <cstdio>
#include <memory>

#include "estate/status.h"
#include "tests/loadgen/loadgen_options.h"
#include "tests/loadgen/run_stats.h"
#include "tests/loadgen/simulated_fleet.h"

namespace estate::loadgen {

class LoadRunner {
 public:
  // `progress` receives one line per progress interval (stderr in the tool).
  LoadRunner(const LoadgenOptions& options, const SimulatedFleet& fleet, std::FILE* progress);
  ~LoadRunner();
  LoadRunner(const LoadRunner&) = delete;
  LoadRunner& operator=(const LoadRunner&) = delete;

  // Delta mode first sends every agent one full report (the "prime" phase,
  // unpaced and not measured); then the measured phase runs for the duration.
  Status Run(RunStats* stats, RunSummary* summary);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace estate::loadgen

#endif  // ESTATE_TESTS_LOADGEN_LOAD_RUNNER_H_
