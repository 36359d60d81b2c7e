#include "agent/spool.h"

#include <unistd.h>

#include <cstring>

#include "agent/durable_file.h"
#include "estate/host_root.h"

namespace estate::agent {
namespace {

constexpr size_t kRecordHeaderBytes = 8;
// A single report is bounded by the frame limit; anything larger is corruption.
constexpr uint32_t kMaxRecordBytes = 64u << 20;

void PutU32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

uint32_t GetU32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

}  // namespace

uint64_t ReportSequence(const v1::Frame& frame) {
  if (frame.has_full_report()) return frame.full_report().sequence();
  if (frame.has_delta_report()) return frame.delta_report().sequence();
  return 0;
}

std::string Spool::EncodeRecord(std::string_view payload) {
  std::string out;
  out.reserve(kRecordHeaderBytes + payload.size());
  PutU32(&out, static_cast<uint32_t>(payload.size()));
  PutU32(&out, Crc32(payload));
  out.append(payload);
  return out;
}

Spool::Parsed Spool::ParseRecords(std::string_view file) {
  Parsed parsed;
  size_t offset = 0;
  while (offset + kRecordHeaderBytes <= file.size()) {
    const uint32_t length = GetU32(file.data() + offset);
    const uint32_t crc = GetU32(file.data() + offset + 4);
    if (length > kMaxRecordBytes || offset + kRecordHeaderBytes + length > file.size()) break;
    std::string_view payload = file.substr(offset + kRecordHeaderBytes, length);
    if (Crc32(payload) != crc) break;
    parsed.payloads.emplace_back(payload);
    offset += kRecordHeaderBytes + length;
  }
  parsed.good_bytes = offset;
  return parsed;
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
  Parsed parsed = ParseRecords(*content);
  for (auto& payload : parsed.payloads) {
    Record record;
    if (!record.frame.ParseFromString(payload)) break;  // CRC held, so this is a foreign file
    record.bytes = kRecordHeaderBytes + payload.size();
    spool.bytes_ += record.bytes;
    spool.records_.push_back(std::move(record));
  }
  if (spool.bytes_ != content->size()) {
    if (dropped_tail != nullptr) *dropped_tail = true;
    spool.logger_->warn("spool {}: dropped {} bytes of a torn or corrupt tail after {} reports",
                        spool.path_, content->size() - spool.bytes_, spool.records_.size());
    ESTATE_RETURN_IF_ERROR(spool.Rewrite());
  }
  return spool;
}

Status Spool::Append(const v1::Frame& frame) {
  const std::string record = EncodeRecord(frame.SerializeAsString());
  if (record.size() > max_bytes_) {
    return Status::ResourceExhausted("report of " + std::to_string(record.size()) +
                                     " bytes exceeds the spool limit of " +
                                     std::to_string(max_bytes_));
  }
  bool evicted = false;
  while (!records_.empty() && bytes_ + record.size() > max_bytes_) {
    logger_->warn("spool full ({} of {} bytes): evicting the oldest report, sequence {}", bytes_,
                  max_bytes_, ReportSequence(records_.front().frame));
    bytes_ -= records_.front().bytes;
    records_.pop_front();
    evicted = true;
  }
  if (evicted) ESTATE_RETURN_IF_ERROR(Rewrite());
  ESTATE_RETURN_IF_ERROR(AppendFileDurably(path_, record));
  records_.push_back(Record{frame, record.size()});
  bytes_ += record.size();
  return Status::Ok();
}

Status Spool::PopFront() {
  if (records_.empty()) return Status::FailedPrecondition("spool is empty");
  bytes_ -= records_.front().bytes;
  records_.pop_front();
  return Rewrite();
}

Status Spool::Clear() {
  records_.clear();
  bytes_ = 0;
  return Rewrite();
}

Status Spool::Replace(const v1::Frame& frame) {
  const std::string record = EncodeRecord(frame.SerializeAsString());
  if (record.size() > max_bytes_) {
    return Status::ResourceExhausted("report of " + std::to_string(record.size()) +
                                     " bytes exceeds the spool limit of " +
                                     std::to_string(max_bytes_));
  }
  ESTATE_RETURN_IF_ERROR(WriteFileDurably(path_, record));
  records_.clear();
  records_.push_back(Record{frame, record.size()});
  bytes_ = record.size();
  return Status::Ok();
}

Status Spool::Rewrite() {
  if (records_.empty()) {
    if (::unlink(path_.c_str()) != 0 && errno != ENOENT) {
      return Status::FromErrno("unlink " + path_, errno);
    }
    return Status::Ok();
  }
  std::string content;
  for (const auto& record : records_) content += EncodeRecord(record.frame.SerializeAsString());
  return WriteFileDurably(path_, content);
}

}  // namespace estate::agent
