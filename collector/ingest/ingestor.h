// Ingestor: the collector's single writer. Sessions submit reports; one thread
// applies them in arrival order, a group at a time, and each group is
// committed with one fsync'd RocksDB write (group commit), after which every
// report in it is completed. A report is acknowledged only after the write
// that holds it is durable.
//
// Two stages overlap: while the committer thread writes group N, the writer
// thread applies group N+1 into a batch that reads through N's writes
// (Store::NewBatchOver). Should N fail to commit, N+1 is refused with it,
// unwritten: it was reconciled on top of N.
//
// Submit is thread-safe. Completions run on the committer thread: callers post
// them to their own executor.
#ifndef ESTATE_COLLECTOR_INGEST_INGESTOR_H_
#define ESTATE_COLLECTOR_INGEST_INGESTOR_H_

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <vector>

#include "collector/ingest/report_applier.h"
#include "collector/store/store.h"
#include "estate/arena_frame.h"
#include "estate/v1/frame.pb.h"

namespace spdlog {
class logger;
}

namespace estate::collector {

struct IngestorOptions {
  size_t max_queued_reports = 20000;  // beyond this, Submit refuses: backpressure
  // Queued report bytes (as sent; parsed, a full report takes ~4x): beyond
  // this, Submit refuses too, so a burst of full reports cannot exhaust memory.
  size_t max_queued_bytes = 48u << 20;
  size_t max_group_reports = 1024;     // reports per group commit
  size_t max_group_bytes = 32u << 20;  // report bytes per group commit
  // Work per group: a sighting or SNMP device counts 1, an agent report 1 plus
  // a package in 64. Bounds how long the first report of a group waits for
  // its ack when scanners send large sweeps.
  size_t max_group_work = 8192;
  bool sync = true;  // fsync the WAL before acknowledging
  // Recently written software sets kept by the writer (software_set_cache.h).
  size_t software_cache_bytes = 192u << 20;
  ReconcileOptions reconcile;
};

struct IngestCounters {
  std::atomic<uint64_t> full_reports{0};
  std::atomic<uint64_t> delta_reports{0};
  std::atomic<uint64_t> observation_reports{0};
  std::atomic<uint64_t> duplicates{0};
  std::atomic<uint64_t> rejected{0};    // answered with an Error
  std::atomic<uint64_t> overloaded{0};  // refused because the queue was full
  std::atomic<uint64_t> commits{0};
  std::atomic<uint64_t> written_entries{0};  // keys put, merged or deleted by commits
  std::atomic<uint64_t> written_bytes{0};
  std::atomic<uint64_t> commit_failures{0};
};

class Ingestor {
 public:
  // Receives the answer frame body: exactly one of ack / error is set.
  using Completion = std::function<void(v1::Frame answer)>;

  Ingestor(Store& store, std::shared_ptr<spdlog::logger> logger, IngestorOptions options = {});
  ~Ingestor();  // Stop()s

  // Opens the event log and loads the software policy, then starts the writer.
  Status Start();
  // Applies and commits everything queued, then joins the writer thread.
  void Stop();

  // `report` is a Frame holding full_report, delta_report or observations;
  // `wire_bytes` its encoded size when the caller knows it (0: computed).
  void Submit(const Peer& peer, ArenaFrame report, Completion done, size_t wire_bytes = 0);
  void Submit(const Peer& peer, v1::Frame report, Completion done, size_t wire_bytes = 0) {
    Submit(peer, ArenaFrame(std::move(report)), std::move(done), wire_bytes);
  }

  // An admin change: runs `mutation` on the writer thread (so it never races
  // a report on the same asset), commits it durably and returns its result.
  // `reload_policy` reloads the software policy after the commit.
  using Mutation = std::function<Result<nlohmann::json>(ReconcileContext& ctx)>;
  Result<nlohmann::json> Mutate(const std::string& actor, Mutation mutation,
                                bool reload_policy = false);

  // True when a report of `wire_bytes` would be refused as busy now (a
  // snapshot: Submit decides). Lets a session refuse before parsing.
  bool WouldRefuse(size_t wire_bytes) const;
  // The busy answer for a report Submit would refuse now, counted as
  // overloaded; nullopt when there is room for it.
  std::optional<v1::Frame> RefuseIfFull(uint64_t request_id, uint64_t sequence, size_t wire_bytes);

  const IngestCounters& counters() const { return counters_; }
  // The nodes' packages and the software catalogue (reads from any thread).
  SoftwareInventory& software() { return *software_; }
  // The software policy reports are checked against now (any thread).
  std::shared_ptr<const SoftwarePolicy> policy() const;
  const ReconcileOptions& reconcile_options() const { return options_.reconcile; }
  // The last event sequence handed out (0 before Start).
  uint64_t last_event_seq() const { return events_ ? events_->last_seq() : 0; }
  size_t queued() const;
  size_t queued_bytes() const;

 private:
  struct Item {
    Peer peer;
    ArenaFrame report;
    size_t bytes = 0;  // the report's encoded size
    Completion done;
    // Set for an admin change instead of a report.
    Mutation mutation;
    std::string actor;
    bool reload_policy = false;
    std::shared_ptr<std::promise<Result<nlohmann::json>>> result;
  };

  // A group on its way through the pipeline.
  struct Group {
    std::deque<Item> items;
    std::unique_ptr<WriteBatch> batch;
    std::vector<ApplyOutcome> outcomes;
    std::vector<std::optional<Result<nlohmann::json>>> mutation_results;
    bool reload_policy = false;
    SoftwareInventory::TotalsDelta totals;  // applied when the write succeeds
  };

  // Whether the queue takes a report of `bytes` (mu_ held).
  bool HasRoomLocked(size_t bytes) const;
  void Run();
  void RunCommitter();
  // Takes the next group off the queue; false when stopping and drained.
  bool TakeGroup(std::deque<Item>* items);
  void Apply(Group& group);
  // Writes the group (unless `refuse` says why not), answers every item and
  // returns how the write went.
  Status Commit(Group& group, Status refuse);
  // Waits until the committer has finished the group handed to it.
  void WaitCommitted();
  // Reports from now on are checked against `policy` (writer thread).
  void UsePolicy(std::shared_ptr<const SoftwarePolicy> policy);
  // After a failed commit: in-memory state (the software catalogue) goes back
  // to what the store holds.
  void ForgetUncommitted();

  Store& store_;
  std::shared_ptr<spdlog::logger> logger_;
  IngestorOptions options_;
  std::unique_ptr<EventRecorder> events_;
  std::unique_ptr<SoftwareInventory> software_;
  std::unique_ptr<ReportApplier> applier_;
  IngestCounters counters_;

  mutable std::mutex policy_mu_;
  std::shared_ptr<const SoftwarePolicy> policy_;  // what the applier has

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;
  size_t queue_bytes_ = 0;
  bool stopping_ = false;
  std::thread thread_;

  // Handoff between the writer and the committer: at most one group in flight.
  std::mutex commit_mu_;
  std::condition_variable commit_cv_;
  std::unique_ptr<Group> in_flight_;  // handed to the committer, not yet committed
  bool in_flight_done_ = true;
  Status in_flight_status_;         // how the last handed group's commit went
  std::unique_ptr<Group> retired_;  // committed and read through no more: to free
  bool committer_stopping_ = false;
  std::thread committer_;
  bool store_failing_ = false;  // last commit failed; logged once until it recovers
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_INGEST_INGESTOR_H_
