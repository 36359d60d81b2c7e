// LoadRunner: plays a SimulatedFleet against one estated over loopback: by
// default through `connections` long-lived relay connections (node i on
// connection i % C, reports pipelined up to --window per connection; see
// relay_connection.h), with --no-multiplex as real agents do, one node per
// connection at a time (cycle_worker.h). Delta mode first primes every node
// with one full report, then measures.
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
