// NodeDirectory: the enrolled nodes, their key hashes and live sessions.
//
// Enrollment as osquery does it: a node without a key presents the site's
// enroll secret once and receives a random 256-bit node key; the collector
// keeps only the key's SHA-256 (nodes column family, "enrolled\0<node id>",
// v1::NodeEnrollment) and checks it on every Hello. A key binds one node id.
// Revoking a node marks it, closes its live sessions and refuses it from then
// on; `forget` deletes the record so the node id may enroll again. A node
// whose first report shows a machine revoked for good (identity_claims.h) is
// revoked by the ingest writer, which tells the directory (RevokedByWriter).
//
// Records are loaded once at start and kept in memory (a Hello never reads
// RocksDB); changes are written through the Ingestor's writer thread.
// Enroll/Revoke/Forget block on that write: call them off the io threads.
// Thread-safe.
#ifndef ESTATE_COLLECTOR_AUTH_NODE_DIRECTORY_H_
#define ESTATE_COLLECTOR_AUTH_NODE_DIRECTORY_H_

#include <spdlog/logger.h>

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "collector/ingest/ingestor.h"
#include "collector/store/store.h"
#include "estate/status.h"
#include "estate/v1/frame.pb.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

inline constexpr char kEnrolledPrefix[] = "enrolled";

// The nodes-CF key of a node's enrollment record.
std::string EnrollmentKey(std::string_view node_id);

// A foreign agent's node id ("fusioninventory:<device id>"): Estate agents
// may not enroll under one.
bool IsForeignNodeId(std::string_view node_id);

class NodeDirectory {
 public:
  // `enroll_secret` empty: enrollment is off and any Hello is accepted (only
  // allowed by estated together with insecure_plaintext on loopback).
  static Result<std::unique_ptr<NodeDirectory>> Open(Store& store, Ingestor& ingestor,
                                                     std::string enroll_secret,
                                                     std::shared_ptr<spdlog::logger> logger);

  bool enrollment_required() const { return !enroll_secret_.empty(); }

  // Checks the secret and issues a key; the record is durable on return.
  // PermissionDenied (with a message for the node) when refused.
  Result<std::string> Enroll(const v1::Enroll& request, const std::string& address, int64_t now);

  // OK when `node_key` is the key issued to `node_id` and the node is not
  // revoked; PermissionDenied with the reason otherwise.
  Status Authenticate(const std::string& node_id, const std::string& node_key) const;

  ~NodeDirectory();
  // Stops the last-seen writer and writes what is pending; call before the
  // Ingestor stops.
  void Stop();

  // A report from a foreign agent (glpi-agent, fusioninventory, ocs: no key of
  // its own, the inventory listener authenticated its site credentials): OK
  // and noted as seen unless `node_id` is revoked. Its record (kind, host,
  // address; no key) is created on the first report and written with the
  // last-seen times, so it shows in `agents` and `revoke` cuts it off.
  Status AdmitForeign(const std::string& node_id, v1::PeerKind kind, const std::string& hostname,
                      const std::string& address, int64_t now);

  // Notes an accepted hello; written to the store every 30 s.
  void Seen(const std::string& node_id, const std::string& hostname, const std::string& address,
            int64_t now);
  // Writes the pending last-seen updates.
  void Flush();

  Status Revoke(const std::string& node_id, const std::string& actor, int64_t now);
  Status Forget(const std::string& node_id, const std::string& actor);
  // The ingest writer revoked `node_id` in the store (its report showed a
  // banned machine): the same in memory, so its next hello is refused. Its
  // live sessions stay open: their reports are refused, and the refusal must
  // reach the node.
  void RevokedByWriter(const std::string& node_id, const std::string& reason, int64_t now);
  std::vector<v1::NodeEnrollment> List() const;

  // A live session registers how to close it; Detach when it ends.
  uint64_t Attach(const std::string& node_id, std::function<void()> close);
  void Detach(const std::string& node_id, uint64_t token);

 private:
  NodeDirectory(Store& store, Ingestor& ingestor, std::string secret,
                std::shared_ptr<spdlog::logger> logger);
  void StartFlusher();
  Status Write(const std::string& actor, const std::string& node_id);
  // Calls and forgets the close functions of `node_id`'s sessions (mu_ held).
  std::vector<std::function<void()>> TakeSessions(const std::string& node_id);

  Store& store_;
  Ingestor& ingestor_;
  const std::string enroll_secret_;
  std::shared_ptr<spdlog::logger> logger_;

  mutable std::mutex mu_;
  std::map<std::string, v1::NodeEnrollment> nodes_;
  std::map<std::string, std::map<uint64_t, std::function<void()>>> sessions_;
  std::map<std::string, bool> dirty_;  // node ids whose last_seen is not written yet
  uint64_t next_token_ = 1;
  std::mutex flush_mu_;  // one Flush at a time

  std::mutex flusher_mu_;
  std::condition_variable flusher_cv_;
  bool flusher_stopping_ = false;
  std::thread flusher_;
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_AUTH_NODE_DIRECTORY_H_
