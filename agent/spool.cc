#include "agent/spool.h"

#include <unistd.h>

#include <cerrno>
#include <utility>
#include <vector>

#include "agent/durable_file.h"
#include "agent/spool_record.h"
#include "estate/host_root.h"
#include "estate/proto_utf8.h"

namespace estate::agent {
namespace {

// Dead records are compacted away once they outweigh the live ones (so the
// bytes rewritten never exceed those appended) and this many have gathered
// (so a small spool is not rewritten for every few acknowledgements).
constexpr uint64_t kCompactMinDeadBytes = 1 << 20;

// Parses a spooled report; one an older agent wrote with invalid UTF-8 in a
// string field (which protobuf refuses to parse) is repaired first.
bool ParseSpooledFrame(std::string_view payload, v1::Frame* frame, size_t* repaired) {
  *repaired = 0;
  if (frame->ParseFromArray(payload.data(), static_cast<int>(payload.size()))) return true;
  auto fixed = RepairUtf8Wire(payload, *v1::Frame::descriptor(), repaired);
  return fixed.ok() && *repaired > 0 && frame->ParseFromString(*fixed);
}

}  // namespace

uint64_t ReportSequence(const v1::Frame& frame) {
  if (frame.has_full_report()) return frame.full_report().sequence();
  if (frame.has_delta_report()) return frame.delta_report().sequence();
  return 0;
}

Result<Spool> Spool::Open(std::string path, uint64_t max_bytes,
                          std::shared_ptr<spdlog::logger> logger, bool* dropped_tail) {
  Spool spool(std::move(path), max_bytes, std::move(logger));
  if (dropped_tail != nullptr) *dropped_tail = false;
  auto content = HostRoot("/").ReadFile(spool.path_, 1ull << 40);
  if (!content.ok()) {
    if (content.status().IsNotFound()) return spool;
    return content.status();
  }
  ESTATE_RETURN_IF_ERROR(spool.Load(*content, dropped_tail));
  return spool;
}

Status Spool::Load(std::string_view content, bool* dropped_tail) {
  const ParsedSpoolFile parsed = ParseSpoolFile(content);
  uint64_t good_bytes = parsed.good_bytes;
  // Replay: report records queue, consumed records remove the oldest. A
  // consumed record that does not name the oldest report was not written by
  // this spool: nothing from there on is trusted.
  std::deque<const SpoolRecord*> live;
  for (const SpoolRecord& record : parsed.records) {
    if (record.kind == SpoolRecordKind::kReport) {
      live.push_back(&record);
      continue;
    }
    uint64_t target = 0;
    if (!DecodeConsumedRecord(record.payload, &target) || live.empty() ||
        live.front()->offset != target) {
      good_bytes = record.offset;
      break;
    }
    live.pop_front();
  }
  // Format 1 is rewritten in format 2 once, atomically: a crash during the
  // migration leaves the old file, read again next time.
  bool rewrite = parsed.format == 1;
  for (const SpoolRecord* record : live) {
    Record loaded{v1::Frame(), record->offset, record->bytes};
    size_t repaired = 0;
    if (!ParseSpooledFrame(record->payload, &loaded.frame, &repaired)) {
      logger_->warn("spool {}: dropped a record of {} bytes that is not a report", path_,
                    record->payload.size());
      rewrite = true;
      continue;
    }
    if (repaired > 0) {
      logger_->warn(
          "spool {}: report {} had invalid UTF-8 in {} text field(s); replaced with U+FFFD", path_,
          ReportSequence(loaded.frame), repaired);
      rewrite = true;
    }
    bytes_ += loaded.bytes;
    records_.push_back(std::move(loaded));
  }
  file_bytes_ = good_bytes;
  if (good_bytes != content.size()) {
    if (dropped_tail != nullptr) *dropped_tail = true;
    logger_->warn("spool {}: dropped {} bytes of a torn or corrupt tail after {} reports", path_,
                  content.size() - good_bytes, records_.size());
    if (!rewrite && !records_.empty()) {
      ESTATE_RETURN_IF_ERROR(TruncateFileDurably(path_, good_bytes));
    }
  }
  if (parsed.format == 1) {
    logger_->info("spool {}: {} reports read in the previous format, rewritten in format 2", path_,
                  records_.size());
  }
  if (rewrite || records_.empty()) return Rewrite();
  return CompactIfWorthIt();
}

Status Spool::Append(const v1::Frame& frame) {
  const std::string record = EncodeSpoolRecord(SpoolRecordKind::kReport, frame.SerializeAsString());
  if (record.size() > max_bytes_) {
    return Status::ResourceExhausted("report of " + std::to_string(record.size()) +
                                     " bytes exceeds the spool limit of " +
                                     std::to_string(max_bytes_));
  }
  size_t evict = 0;
  uint64_t live = bytes_;
  while (evict < records_.size() && live + record.size() > max_bytes_) {
    logger_->warn("spool full ({} of {} bytes): evicting the oldest report, sequence {}", live,
                  max_bytes_, ReportSequence(records_[evict].frame));
    live -= records_[evict].bytes;
    ++evict;
  }
  // The evictions and the new report reach the disk in one write.
  std::string bytes;
  for (size_t i = 0; i < evict; ++i) bytes += EncodeConsumedRecord(records_[i].offset);
  const uint64_t offset = file_bytes_ + bytes.size();
  bytes += record;
  ESTATE_RETURN_IF_ERROR(AppendToFile(bytes, /*sync=*/true));
  for (size_t i = 0; i < evict; ++i) {
    bytes_ -= records_.front().bytes;
    records_.pop_front();
  }
  records_.push_back(Record{frame, offset, record.size()});
  bytes_ += record.size();
  return CompactIfWorthIt();
}

Status Spool::PopFront() {
  if (records_.empty()) return Status::FailedPrecondition("spool is empty");
  if (records_.size() == 1) {
    records_.clear();
    bytes_ = 0;
    return Rewrite();  // removes the file
  }
  ESTATE_RETURN_IF_ERROR(
      AppendToFile(EncodeConsumedRecord(records_.front().offset), /*sync=*/false));
  bytes_ -= records_.front().bytes;
  records_.pop_front();
  return CompactIfWorthIt();
}

Status Spool::Clear() {
  records_.clear();
  bytes_ = 0;
  return Rewrite();
}

Status Spool::Replace(const v1::Frame& frame) {
  const std::string record = EncodeSpoolRecord(SpoolRecordKind::kReport, frame.SerializeAsString());
  if (record.size() > max_bytes_) {
    return Status::ResourceExhausted("report of " + std::to_string(record.size()) +
                                     " bytes exceeds the spool limit of " +
                                     std::to_string(max_bytes_));
  }
  ESTATE_RETURN_IF_ERROR(WriteFileDurably(path_, record));
  bytes_written_ += record.size();
  records_.clear();
  records_.push_back(Record{frame, 0, record.size()});
  bytes_ = record.size();
  file_bytes_ = record.size();
  return Status::Ok();
}

Status Spool::AppendToFile(const std::string& bytes, bool sync) {
  Status st = AppendFile(path_, bytes, sync);
  if (!st.ok()) {
    // A partial append (disk full) would sit between the records before it and
    // any appended later, hiding those at the next Open: cut it off.
    if (Status cut = TruncateFileDurably(path_, file_bytes_); !cut.ok() && !cut.IsNotFound()) {
      logger_->error("spool {}: cannot cut a failed append off: {}", path_, cut.ToString());
    }
    return st;
  }
  file_bytes_ += bytes.size();
  bytes_written_ += bytes.size();
  return Status::Ok();
}

Status Spool::CompactIfWorthIt() {
  const uint64_t dead = file_bytes_ - bytes_;
  if (dead > bytes_ && dead >= kCompactMinDeadBytes) return Rewrite();
  return Status::Ok();
}

Status Spool::Rewrite() {
  if (records_.empty()) {
    if (::unlink(path_.c_str()) != 0 && errno != ENOENT) {
      return Status::FromErrno("unlink " + path_, errno);
    }
    file_bytes_ = 0;
    return Status::Ok();
  }
  std::string content;
  std::vector<std::pair<uint64_t, uint64_t>> placed;  // offset, bytes
  placed.reserve(records_.size());
  for (const auto& record : records_) {
    const uint64_t offset = content.size();
    content += EncodeSpoolRecord(SpoolRecordKind::kReport, record.frame.SerializeAsString());
    placed.emplace_back(offset, content.size() - offset);
  }
  ESTATE_RETURN_IF_ERROR(WriteFileDurably(path_, content));
  bytes_written_ += content.size();
  bytes_ = 0;
  for (size_t i = 0; i < records_.size(); ++i) {
    records_[i].offset = placed[i].first;
    records_[i].bytes = placed[i].second;
    bytes_ += placed[i].second;
  }
  file_bytes_ = content.size();
  return Status::Ok();
}

}  // namespace estate::agent
