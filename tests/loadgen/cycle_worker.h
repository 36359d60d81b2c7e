// CycleWorker: estate-loadgen without relay connections (--no-multiplex), to
// measure what real agents cost the collector in connection churn: each
// worker takes the next node, connects, enrolls it if it has no key, says its
// Hello, sends --reports-per-connection reports one at a time (each waits for
// its answer; backpressure is waited out and the report sent again), closes,
// and takes the next node. --connections workers run at once.
//
// On the run's io thread; not thread-safe.
#ifndef ESTATE_TESTS_LOADGEN_CYCLE_WORKER_H_
#define ESTATE_TESTS_LOADGEN_CYCLE_WORKER_H_

#include <cstdint>
#include <deque>

#include "tests/loadgen/run_context.h"

namespace estate::loadgen {

// Works through `ready` (nodes in round-robin order) until it is empty (the
// prime phase visits each node once) or the phase ends; then RunContext::Done().
boost::asio::awaitable<void> RunCycleWorker(RunContext& run, std::deque<uint32_t>& ready);

}  // namespace estate::loadgen

#endif  // ESTATE_TESTS_LOADGEN_CYCLE_WORKER_H_
