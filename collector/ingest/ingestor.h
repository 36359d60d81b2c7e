// Ingestor: the collector's single writer. Sessions submit reports; one thread
// applies them in arrival order and commits each group with one fsync'd RocksDB
// write (group commit), then completes every report in the group. A report is
// acknowledged only after the write that holds it is durable.
//
// Submit is thread-safe. Completions run on the writer thread: callers post
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
#include <thread>

#include "collector/ingest/report_applier.h"
#include "collector/store/store.h"
#include "estate/v1/frame.pb.h"

namespace spdlog {
class logger;
}

namespace estate::collector {

struct IngestorOptions {
  size_t max_queued_reports = 20000;   // beyond this, Submit refuses: backpressure
  size_t max_group_reports = 1024;     // reports per group commit
  size_t max_group_bytes = 32u << 20;  // batch bytes per group commit
  bool sync = true;                    // fsync the WAL before acknowledging
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

  // `report` is a Frame holding full_report, delta_report or observations.
  void Submit(const Peer& peer, v1::Frame report, Completion done);

  // An admin change: runs `mutation` on the writer thread (so it never races
  // a report on the same asset), commits it durably and returns its result.
  // `reload_policy` reloads the software policy after the commit.
  using Mutation = std::function<Result<nlohmann::json>(ReconcileContext& ctx)>;
  Result<nlohmann::json> Mutate(const std::string& actor, Mutation mutation,
                                bool reload_policy = false);

  const IngestCounters& counters() const { return counters_; }
  const ReconcileOptions& reconcile_options() const { return options_.reconcile; }
  // The last event sequence handed out (0 before Start).
  uint64_t last_event_seq() const { return events_ ? events_->last_seq() : 0; }
  size_t queued() const;

 private:
  struct Item {
    Peer peer;
    v1::Frame report;
    Completion done;
    // Set for an admin change instead of a report.
    Mutation mutation;
    std::string actor;
    bool reload_policy = false;
    std::shared_ptr<std::promise<Result<nlohmann::json>>> result;
  };

  void Run();
  void ProcessGroup(std::deque<Item>& group);

  Store& store_;
  std::shared_ptr<spdlog::logger> logger_;
  IngestorOptions options_;
  std::unique_ptr<EventRecorder> events_;
  std::unique_ptr<ReportApplier> applier_;
  IngestCounters counters_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;
  bool stopping_ = false;
  std::thread thread_;
  bool store_failing_ = false;  // last commit failed; logged once until it recovers
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_INGEST_INGESTOR_H_
