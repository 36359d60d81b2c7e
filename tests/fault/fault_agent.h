// FaultAgent: one real `estate-agent run` for the fault tests, with a host
// root of its own (a copy of tests/fixtures/roots/ws-debian12 whose machine-id,
// DMI serials and UUID, MACs and host name are this agent's), its own state
// directory, spool and log. It reports every second; ChangeFacts() gives the
// next report something to carry. The log says which sequences the collector
// acknowledged: that is the ground truth the tests check the store against.
//
// Not thread-safe: one owner.
#ifndef ESTATE_TESTS_FAULT_FAULT_AGENT_H_
#define ESTATE_TESTS_FAULT_FAULT_AGENT_H_

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "estate/v1/frame.pb.h"
#include "tests/support/subprocess.h"

namespace estate::fault {

class FaultAgent {
 public:
  // Prepares `dir` (root, config); `index` makes its identity unique.
  FaultAgent(std::string dir, int index, const std::string& collector_address);

  bool Start();
  void Kill();  // SIGKILL, wherever it is
  int Stop();   // SIGTERM; 0 when it stopped cleanly
  // `estate-agent run --once` (while stopped): one more report and one
  // delivery attempt; 0 when the spool is empty afterwards.
  int RunOnce();
  bool running() const { return daemon_.running(); }

  // The next inventory differs: a marker package's version goes up.
  void ChangeFacts();

  const std::string& hostname() const { return hostname_; }
  std::string node_id() const;  // "" before the first start
  const std::string& log_path() const { return log_; }

  // From the log: every acknowledged sequence, in order, and the asset ids the acks named.
  struct Acks {
    std::vector<uint64_t> sequences;
    std::set<std::string> asset_ids;
    uint64_t max() const { return sequences.empty() ? 0 : sequences.back(); }
  };
  Acks ParseAcks() const;
  // Log lines containing `needle`.
  std::vector<std::string> LogLines(const std::string& needle) const;

  bool SpoolEmpty() const;
  // What the state directory holds: the last queued report and the acked sequence.
  std::optional<v1::FullReport> Reported() const;
  uint64_t AckedInState() const;

 private:
  std::string dir_, root_, state_, config_, log_, hostname_;
  int marker_ = 0;
  testing::Daemon daemon_;
};

}  // namespace estate::fault

#endif  // ESTATE_TESTS_FAULT_FAULT_AGENT_H_
