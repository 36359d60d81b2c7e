#include "collector/reconcile/event_recorder.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/wire_format_lite.h>

#include "collector/store/keys.h"
#include "collector/store/records.h"

namespace estate::collector {

Result<std::unique_ptr<EventRecorder>> EventRecorder::Open(Store& store) {
  auto last = store.LastKey(Table::kEvents);
  if (!last.ok()) return last.status();
  const uint64_t next = last->has_value() ? EventSeqFromKey(**last) + 1 : 1;
  return std::unique_ptr<EventRecorder>(new EventRecorder(next));
}

void EventRecorder::History(WriteBatch& batch, const v1::Asset& asset, int64_t now_micros,
                            v1::AssetEvent entry, bool snapshot) {
  entry.set_at(now_micros / 1000000);
  entry.clear_snapshot();
  if (!snapshot) {
    PutRecord(batch, Table::kHistory, HistoryKey(asset.id(), now_micros, history_counter_++),
              entry);
    return;
  }
  // The snapshot is appended as field `snapshot` in wire form: a serialized
  // message followed by more of its fields parses as one message, and the
  // record is written without copying the asset first.
  std::string record = entry.SerializeAsString();
  const size_t size = asset.ByteSizeLong();
  google::protobuf::io::StringOutputStream raw(&record);
  {
    google::protobuf::io::CodedOutputStream out(&raw);
    out.WriteTag(google::protobuf::internal::WireFormatLite::MakeTag(
        v1::AssetEvent::kSnapshotFieldNumber,
        google::protobuf::internal::WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
    out.WriteVarint32(static_cast<uint32_t>(size));
    asset.SerializeWithCachedSizes(&out);
  }
  batch.Put(Table::kHistory, HistoryKey(asset.id(), now_micros, history_counter_++), record);
}

void EventRecorder::Raise(WriteBatch& batch, const v1::Asset* asset, int64_t now_micros,
                          v1::Event event, bool snapshot) {
  event.set_seq(next_seq_.fetch_add(1));
  event.set_at(now_micros / 1000000);
  if (asset) event.set_asset_id(asset->id());
  PutRecord(batch, Table::kEvents, EventKey(event.seq()), event);
  if (!asset) return;
  // The event is stored: its parts move into the history entry.
  v1::AssetEvent entry;
  entry.set_kind(std::move(*event.mutable_kind()));
  entry.set_source(std::move(*event.mutable_source()));
  entry.set_summary(std::move(*event.mutable_summary()));
  entry.set_severity(std::move(*event.mutable_severity()));
  entry.mutable_changes()->Swap(event.mutable_changes());
  History(batch, *asset, now_micros, std::move(entry), snapshot);
}

}  // namespace estate::collector
