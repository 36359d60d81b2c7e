// RelayConnection: one long-lived multiplexed connection of estate-loadgen,
// speaking for a fixed set of nodes (node i belongs to connection i % C) as a
// relay does (frame.proto: Hello.multiplex). The first node's Hello opens the
// connection with multiplex set; every other node enrolls (once per run, when
// an enroll secret is given and it has no key) and says its own Hello the
// first time it reports on the connection, getting its channel and the
// collector's last stored sequence for it.
//
// Reports are pipelined: a sender coroutine keeps up to `--window` of them
// unanswered (never more than HelloAck.max_in_flight), each of a different
// node, taken round robin, and writes what is ready in one write; a receiver
// coroutine reads answers through a buffer and matches them by request_id.
// Backpressure puts the refused node aside for retry_after_ms ±50 % while the
// others go on. A broken connection is reopened with backoff, and its Hellos
// said again (channels are per connection).
//
// Lives on the run's io thread; not thread-safe. `run` must outlive it.
#ifndef ESTATE_TESTS_LOADGEN_RELAY_CONNECTION_H_
#define ESTATE_TESTS_LOADGEN_RELAY_CONNECTION_H_

#include <memory>
#include <vector>

#include "tests/loadgen/run_context.h"

namespace estate::loadgen {

class RelayConnection {
 public:
  RelayConnection(RunContext& run, std::vector<uint32_t> nodes);
  ~RelayConnection();
  RelayConnection(const RelayConnection&) = delete;
  RelayConnection& operator=(const RelayConnection&) = delete;

  // Runs phase after phase until Stop(); spawn once.
  boost::asio::awaitable<void> Run();
  // A phase began (RunContext::priming, phase_end): every node reports again;
  // RunContext::Done() is called once this connection is through with it.
  void StartPhase();
  // Closes the connection; Run() returns.
  void Stop();

 private:
  struct Session;
  enum class Sent { kEnroll, kHello, kReport };
  struct Outstanding {
    uint32_t position = 0;  // in nodes_
    Sent what = Sent::kReport;
    PendingReport report;
  };

  bool PhaseOver() const;
  void FinishPhase();
  bool Eligible(uint32_t position) const;
  void Requeue(Session& s);
  bool NeedsEnroll(uint32_t position) const;
  bool CanSend(const Session& s) const;
  void Wake();
  // A node is through with this phase's prime report, or will never report.
  void Settle(uint32_t position);
  void Refuse(uint32_t position);
  void Break(Session& s, const char* failure);

  boost::asio::awaitable<bool> Open(std::shared_ptr<Session> s);
  boost::asio::awaitable<bool> Exchange(Session& s, v1::Frame* answer);
  boost::asio::awaitable<void> SendLoop(std::shared_ptr<Session> s);
  boost::asio::awaitable<void> Flush(Session& s);
  boost::asio::awaitable<void> Receive(std::shared_ptr<Session> s);
  boost::asio::awaitable<void> Watch(std::shared_ptr<Session> s);
  boost::asio::awaitable<void> RetryLater(std::shared_ptr<Session> s, uint64_t generation,
                                          uint32_t position, Clock::duration delay);

  RunContext& run_;
  const std::vector<uint32_t> nodes_;  // run node indices
  std::vector<bool> refused_;          // a Hello or Enroll the collector refused
  std::vector<bool> settled_;          // prime phase: reported (or given up)
  uint32_t unsettled_ = 0;
  std::shared_ptr<Session> session_;
  uint64_t generation_ = 0;  // of the phase and session: retries of older ones are dropped
  bool in_phase_ = false;
  bool stopping_ = false;
  boost::asio::steady_timer wake_;
};

}  // namespace estate::loadgen

#endif  // ESTATE_TESTS_LOADGEN_RELAY_CONNECTION_H_
