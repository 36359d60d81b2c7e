#include "collector/ingest/ingestor.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <optional>

namespace estate::collector {
namespace {

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

uint64_t ReportSequence(const v1::Frame& f) {
  if (f.has_full_report()) return f.full_report().sequence();
  if (f.has_delta_report()) return f.delta_report().sequence();
  if (f.has_observations()) return f.observations().sequence();
  return 0;
}

v1::Frame ErrorAnswer(uint64_t request_id, v1::ErrorCode code, const std::string& message,
                      uint64_t sequence, uint32_t retry_after_ms = 0) {
  v1::Frame answer;
  answer.set_request_id(request_id);
  auto* error = answer.mutable_error();
  error->set_code(code);
  error->set_message(message);
  error->set_sequence(sequence);
  error->set_retry_after_ms(retry_after_ms);
  return answer;
}

// What an agent is told when the queue has no room for its report.
v1::Frame BusyAnswer(uint64_t request_id, uint64_t sequence) {
  return ErrorAnswer(request_id, v1::ERROR_CODE_UNAVAILABLE,
                     "collector is busy: report not accepted, retry later", sequence,
                     /*retry_after_ms=*/1000);
}

// What an agent is told when the group holding its report could not be
// committed: nothing of it is stored, it should keep the report and retry.
std::string StoreRefusal(const Status& committed) {
  if (committed.code() == Status::Code::kResourceExhausted) {
    return "collector storage is full (No space left on device): report not stored, keep it "
           "and retry later";
  }
  return "collector could not store the report, keep it and retry later: " + committed.ToString();
}

}  // namespace

Ingestor::Ingestor(Store& store, std::shared_ptr<spdlog::logger> logger, IngestorOptions options)
    : store_(store), logger_(std::move(logger)), options_(options) {}

Ingestor::~Ingestor() { Stop(); }

Status Ingestor::Start() {
  auto events = EventRecorder::Open(store_);
  if (!events.ok()) return events.status();
  events_ = std::move(*events);
  auto software = SoftwareInventory::Open(store_, options_.software_cache_bytes);
  if (!software.ok()) return software.status();
  software_ = std::move(*software);
  applier_ = std::make_unique<ReportApplier>(*events_, options_.reconcile, *software_);
  {
    // From now on a crash must rebuild the totals: they change in memory only.
    auto batch = store_.NewBatch();
    SoftwareInventory::MarkTotalsDirty(*batch);
    if (Status st = store_.Write(*batch, options_.sync); !st.ok()) {
      // A full disk (the store may have opened read-only): serve queries,
      // refuse reports, and write the mark before the first group once the
      // store takes writes again (Commit).
      if (st.code() != Status::Code::kResourceExhausted) return st;
      logger_->error("cannot commit reports, refusing them until the store recovers: {}",
                     st.ToString());
      store_failing_ = true;
    }
  }
  auto policy = SoftwarePolicy::Load(store_, options_.reconcile.software);
  if (!policy.ok()) return policy.status();
  UsePolicy(std::make_shared<SoftwarePolicy>(std::move(*policy)));
  committer_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "estate-commit");
    RunCommitter();
  });
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "estate-apply");
    Run();
  });
  return Status::Ok();
}

Result<nlohmann::json> Ingestor::Mutate(const std::string& actor, Mutation mutation,
                                        bool reload_policy) {
  auto result = std::make_shared<std::promise<Result<nlohmann::json>>>();
  auto future = result->get_future();
  {
    std::unique_lock lock(mu_);
    if (stopping_ || !thread_.joinable()) return Status::Unavailable("the collector is stopping");
    Item item;
    item.mutation = std::move(mutation);
    item.actor = actor;
    item.reload_policy = reload_policy;
    item.result = result;
    // Admin changes are few and a person waits on them: never refused as overload.
    queue_.push_back(std::move(item));
  }
  cv_.notify_one();
  return future.get();
}

void Ingestor::Stop() {
  bool was_running;
  {
    std::lock_guard lock(mu_);
    was_running = thread_.joinable() && !stopping_;
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();  // the writer waits for the last commit
  {
    std::lock_guard lock(commit_mu_);
    committer_stopping_ = true;
  }
  commit_cv_.notify_all();
  if (committer_.joinable()) committer_.join();
  if (!was_running || store_failing_) return;
  // Everything is applied and committed: the totals are final. Saved, the
  // next start reads them instead of rebuilding them from every package set.
  auto batch = store_.NewBatch();
  software_->Checkpoint(*batch);
  if (Status st = store_.Write(*batch, options_.sync); !st.ok()) {
    logger_->warn("software totals not saved ({}): the next start rebuilds them", st.ToString());
  }
}

size_t Ingestor::queued() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

size_t Ingestor::queued_bytes() const {
  std::lock_guard lock(mu_);
  return queue_bytes_;
}

bool Ingestor::HasRoomLocked(size_t bytes) const {
  // A report is taken when the queue is empty whatever its size: a limit
  // below one report would refuse it forever.
  return !stopping_ && queue_.size() < options_.max_queued_reports &&
         (queue_.empty() || queue_bytes_ + bytes <= options_.max_queued_bytes);
}

bool Ingestor::WouldRefuse(size_t wire_bytes) const {
  std::lock_guard lock(mu_);
  return !HasRoomLocked(wire_bytes);
}

std::optional<v1::Frame> Ingestor::RefuseIfFull(uint64_t request_id, uint64_t sequence,
                                                size_t wire_bytes) {
  {
    std::lock_guard lock(mu_);
    if (HasRoomLocked(wire_bytes)) return std::nullopt;
  }
  counters_.overloaded++;
  return BusyAnswer(request_id, sequence);
}

void Ingestor::Submit(const Peer& peer, ArenaFrame report, Completion done, size_t wire_bytes) {
  {
    std::unique_lock lock(mu_);
    const size_t bytes = wire_bytes != 0 ? wire_bytes : report->ByteSizeLong();
    if (HasRoomLocked(bytes)) {
      Item item;
      item.peer = peer;
      item.bytes = bytes;
      queue_bytes_ += bytes;
      item.report = std::move(report);
      item.done = std::move(done);
      queue_.push_back(std::move(item));
      lock.unlock();
      cv_.notify_one();
      return;
    }
  }
  counters_.overloaded++;
  done(BusyAnswer(report->request_id(), ReportSequence(*report)));
}

namespace {

// What a queued item costs the writer, for the per-group work bound.
size_t WorkOf(const v1::Frame& f) {
  if (f.has_full_report()) return 1 + f.full_report().facts().software_size() / 64;
  if (f.has_delta_report()) return 1 + f.delta_report().software_upserted_size() / 64;
  if (f.has_observations()) {
    return std::max<size_t>(1,
                            f.observations().observations_size() + f.observations().devices_size());
  }
  return 1;
}

}  // namespace

bool Ingestor::TakeGroup(std::deque<Item>* items) {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
  if (queue_.empty()) return false;  // stopping and drained
  size_t bytes = 0, work = 0;
  while (!queue_.empty() && items->size() < options_.max_group_reports &&
         bytes < options_.max_group_bytes && work < options_.max_group_work) {
    bytes += queue_.front().bytes;
    queue_bytes_ -= queue_.front().bytes;
    work += queue_.front().mutation ? 1 : WorkOf(*queue_.front().report);
    items->push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  return true;
}

void Ingestor::Run() {
  std::unique_ptr<WriteBatch> next_batch = store_.NewBatch();
  for (;;) {
    auto group = std::make_unique<Group>();
    if (!TakeGroup(&group->items)) break;
    group->batch = std::move(next_batch);
    Apply(*group);

    // The group read through the one being committed: that one's fate is its own.
    WaitCommitted();
    Status below;
    {
      std::lock_guard lock(commit_mu_);
      below = in_flight_status_;
      in_flight_status_ = Status::Ok();  // it told of that group only
      group->batch->DetachReads();
      // Freed by the committer while this thread applies the next group.
      retired_ = std::move(in_flight_);
    }
    if (!below.ok()) {
      // Reconciled on top of writes that never landed: refuse it, unwritten,
      // and forget what memory holds beyond the store.
      (void)Commit(*group, below);
      ForgetUncommitted();
      next_batch = store_.NewBatch();
      continue;
    }
    if (group->reload_policy) {
      // Later reports must be checked against the new policy: commit here,
      // then reload, before anything else is applied.
      if (!Commit(*group, Status::Ok()).ok()) ForgetUncommitted();
      next_batch = store_.NewBatch();
      continue;
    }
    // Made before the handoff: its snapshot must not see this group land.
    next_batch = store_.NewBatchOver(*group->batch);
    {
      std::lock_guard lock(commit_mu_);
      in_flight_ = std::move(group);
      in_flight_done_ = false;
    }
    commit_cv_.notify_all();
  }
  WaitCommitted();
  next_batch.reset();
  std::lock_guard lock(commit_mu_);
  in_flight_.reset();
  retired_.reset();
}

void Ingestor::UsePolicy(std::shared_ptr<const SoftwarePolicy> policy) {
  applier_->SetPolicy(policy);
  std::lock_guard lock(policy_mu_);
  policy_ = std::move(policy);
}

std::shared_ptr<const SoftwarePolicy> Ingestor::policy() const {
  std::lock_guard lock(policy_mu_);
  return policy_;
}

void Ingestor::ForgetUncommitted() {
  if (Status st = software_->AfterFailedCommit(store_); !st.ok()) {
    logger_->error("cannot reload the software catalogue: {}", st.ToString());
  }
}

void Ingestor::WaitCommitted() {
  std::unique_lock lock(commit_mu_);
  commit_cv_.wait(lock, [this] { return in_flight_done_; });
}

void Ingestor::RunCommitter() {
  for (;;) {
    Group* group = nullptr;
    std::unique_ptr<Group> retired;
    {
      std::unique_lock lock(commit_mu_);
      commit_cv_.wait(lock, [this] { return committer_stopping_ || !in_flight_done_; });
      if (in_flight_done_) return;  // stopping, nothing left
      group = in_flight_.get();
      retired = std::move(retired_);
    }
    Status committed = Commit(*group, Status::Ok());
    {
      std::lock_guard lock(commit_mu_);
      in_flight_status_ = committed;
      in_flight_done_ = true;
    }
    commit_cv_.notify_all();
    retired.reset();  // after the answer: freeing is nobody's wait
  }
}

void Ingestor::Apply(Group& group) {
  WriteBatch& batch = *group.batch;
  const int64_t now = NowMicros();
  group.outcomes.reserve(group.items.size());
  group.mutation_results.resize(group.items.size());
  for (size_t i = 0; i < group.items.size(); ++i) {
    Item& item = group.items[i];
    batch.SetSavePoint();
    ApplyOutcome outcome;
    const v1::Frame& f = *item.report;
    if (item.mutation) {
      ReconcileContext ctx = applier_->Context(batch, now, item.actor);
      Result<nlohmann::json> r = item.mutation(ctx);
      outcome.ok = r.ok();
      if (!r.ok()) batch.RollbackToSavePoint();
      software_->EndReport(r.ok());
      group.reload_policy |= r.ok() && item.reload_policy;
      group.mutation_results[i].emplace(std::move(r));
      group.outcomes.push_back(std::move(outcome));
      continue;
    }
    if (f.has_full_report()) {
      outcome = applier_->ApplyFull(batch, item.peer, f.full_report(), now);
    } else if (f.has_delta_report()) {
      outcome = applier_->ApplyDelta(batch, item.peer, f.delta_report(), now);
    } else if (f.has_observations()) {
      outcome = applier_->ApplyObservations(batch, item.peer, f.observations(), now);
    } else {
      outcome.error.set_code(v1::ERROR_CODE_UNKNOWN_MESSAGE);
      outcome.error.set_message("not a report");
    }
    // A report refused as UNAUTHENTICATED (a banned machine) keeps what the
    // refusal wrote: its event and the node's revocation.
    if (!outcome.ok && outcome.error.code() != v1::ERROR_CODE_UNAUTHENTICATED) {
      batch.RollbackToSavePoint();
    }
    software_->EndReport(outcome.ok);
    group.outcomes.push_back(std::move(outcome));
  }
  group.totals = software_->EndGroup();
}

Status Ingestor::Commit(Group& group, Status refuse) {
  WriteBatch& batch = *group.batch;
  Status committed = refuse;
  if (committed.ok() && batch.Count() > 0) {
    // After a failed write (disk full) RocksDB refuses every write until
    // resumed: try that first, so the first group after space returns lands.
    if (store_failing_) {
      (void)store_.Resume();
      // The mark Start could not write, if it could not: written again (it
      // is idempotent) before the first group after a failure. Its own
      // write: `batch` may be read by the group being applied.
      auto mark = store_.NewBatch();
      SoftwareInventory::MarkTotalsDirty(*mark);
      committed = store_.Write(*mark, options_.sync);
    }
    if (committed.ok()) committed = store_.Write(batch, options_.sync);
  }
  if (committed.ok()) {
    software_->ApplyCommitted(group.totals);
    counters_.commits++;
    counters_.written_entries += batch.Count();
    counters_.written_bytes += batch.ByteSize();
    if (store_failing_) {
      logger_->info("store writes succeed again");
      store_failing_ = false;
    }
  } else if (refuse.ok()) {
    counters_.commit_failures++;
    if (!store_failing_) {
      logger_->error("cannot commit reports, refusing them until the store recovers: {}",
                     committed.ToString());
      store_failing_ = true;
    }
  }

  if (committed.ok() && group.reload_policy) {
    auto policy = SoftwarePolicy::Load(store_, options_.reconcile.software);
    if (policy.ok()) {
      UsePolicy(std::make_shared<SoftwarePolicy>(std::move(*policy)));
    } else {
      logger_->error("cannot reload the software policy: {}", policy.status().ToString());
    }
  }

  for (size_t i = 0; i < group.items.size(); ++i) {
    Item& item = group.items[i];
    ApplyOutcome& outcome = group.outcomes[i];
    if (item.mutation) {
      if (!committed.ok() && outcome.ok) {
        item.result->set_value(
            Status::Unavailable("could not store the change: " + committed.ToString()));
      } else {
        item.result->set_value(std::move(*group.mutation_results[i]));
      }
      continue;
    }
    const uint64_t seq = ReportSequence(*item.report);
    v1::Frame answer;
    if (outcome.ok && committed.ok()) {
      answer.set_request_id(item.report->request_id());
      *answer.mutable_ack() = outcome.ack;
      if (outcome.duplicate) counters_.duplicates++;
      if (item.report->has_full_report()) counters_.full_reports++;
      if (item.report->has_delta_report()) counters_.delta_reports++;
      if (item.report->has_observations()) counters_.observation_reports++;
    } else if (outcome.ok) {
      answer = ErrorAnswer(item.report->request_id(), v1::ERROR_CODE_UNAVAILABLE,
                           StoreRefusal(committed), seq, /*retry_after_ms=*/5000);
      counters_.rejected++;
    } else {
      answer.set_request_id(item.report->request_id());
      *answer.mutable_error() = outcome.error;
      counters_.rejected++;
    }
    item.done(std::move(answer));
    // Freed here, off the writer thread.
    ArenaFrame done_with = std::move(item.report);
  }
  return committed;
}

}  // namespace estate::collector
