// EventRecorder: writes an asset's history (each entry with a snapshot of the
// record, so `show --at` is exact) and the collector-wide event log that
// `estatectl events` and the event hooks read. Used only on the ingest writer
// thread; last_seq() may be read from any thread.
#ifndef ESTATE_COLLECTOR_RECONCILE_EVENT_RECORDER_H_
#define ESTATE_COLLECTOR_RECONCILE_EVENT_RECORDER_H_

#include <atomic>
#include <cstdint>
#include <memory>

#include "collector/store/store.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

class EventRecorder {
 public:
  // Continues the event sequence where the store's event log ends.
  static Result<std::unique_ptr<EventRecorder>> Open(Store& store);

  // Appends `entry` to the history of `asset`, with `asset` as its snapshot
  // unless `snapshot` is false (the record did not change: `show --at` reads
  // the last entry that has one).
  void History(WriteBatch& batch, const v1::Asset& asset, int64_t now_micros, v1::AssetEvent entry,
               bool snapshot = true);
  // Appends `event` to the event log and, when `asset` is given, to its history.
  void Raise(WriteBatch& batch, const v1::Asset* asset, int64_t now_micros, v1::Event event,
             bool snapshot = true);

  // The highest sequence handed out (committed or about to be).
  uint64_t last_seq() const { return next_seq_.load() - 1; }

 private:
  explicit EventRecorder(uint64_t next_seq) : next_seq_(next_seq) {}
  std::atomic<uint64_t> next_seq_;
  uint32_t history_counter_ = 0;
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_RECONCILE_EVENT_RECORDER_H_
