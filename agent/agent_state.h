// AgentState: what estate-agent run keeps in its state directory between
// reports and across restarts:
//   node_id       this agent's identity, a random UUID made on first start
//   sequence      the highest report sequence handed out (never reused)
//   reported.pb   the last report queued (a FullReport: sequence + facts), the
//                 base of the next delta
//   acked         the highest sequence the collector acknowledged
//   node_key      the key the collector issued at enrollment (mode 0600)
// Every write is durable (estate/agent/durable_file.h) before it returns.
// Not thread-safe: one owner.
#ifndef ESTATE_AGENT_AGENT_STATE_H_
#define ESTATE_AGENT_AGENT_STATE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "estate/status.h"
#include "estate/v1/frame.pb.h"

namespace estate::agent {

inline constexpr char kNodeKeyFile[] = "node_key";

class AgentState {
 public:
  // Creates `dir` (0700) and the node id when missing.
  static Result<AgentState> Open(const std::string& dir);

  const std::string& dir() const { return dir_; }
  const std::string& node_id() const { return node_id_; }
  // Empty until the node has enrolled.
  const std::string& node_key() const { return node_key_; }
  Status SetNodeKey(const std::string& key);
  // max(last + 1, now_ms): increasing across restarts and clock steps back.
  Result<uint64_t> NextSequence(uint64_t now_ms);
  const std::optional<v1::FullReport>& reported() const { return reported_; }
  Status SetReported(const v1::FullReport& report);
  uint64_t acked_sequence() const { return acked_; }
  Status SetAcked(uint64_t sequence);

 private:
  explicit AgentState(std::string dir) : dir_(std::move(dir)) {}

  std::string dir_;
  std::string node_id_;
  std::string node_key_;
  uint64_t last_sequence_ = 0;
  uint64_t acked_ = 0;
  std::optional<v1::FullReport> reported_;
};

// A random RFC 4122 version 4 UUID.
std::string NewUuid();

}  // namespace estate::agent

#endif  // ESTATE_AGENT_AGENT_STATE_H_
