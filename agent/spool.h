// Spool: the agent's bounded on-disk queue of reports not yet acknowledged by
// the collector, oldest first. One append-only file of records
//   [u32 little-endian payload length][u32 little-endian CRC-32 of payload][payload]
// where the payload is a serialized v1::Frame. Every append is fsync'd before
// it returns; removing or evicting records rewrites the file to a temporary
// and renames it over the old one, so a crash leaves either file whole. A
// record torn by a crash during append fails its length or CRC check and is
// dropped, with everything before it kept.
//
// When an append would pass `max_bytes`, the oldest records are evicted (and
// logged) until it fits. Not thread-safe: one owner.
#ifndef ESTATE_AGENT_SPOOL_H_
#define ESTATE_AGENT_SPOOL_H_

#include <spdlog/logger.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>

#include "estate/status.h"
#include "estate/v1/frame.pb.h"

namespace estate::agent {

class Spool {
 public:
  // Loads `path` (creating nothing until the first append). `dropped_tail`, when
  // given, tells whether a torn or corrupt tail was found and cut off.
  static Result<Spool> Open(std::string path, uint64_t max_bytes,
                            std::shared_ptr<spdlog::logger> logger, bool* dropped_tail = nullptr);

  Status Append(const v1::Frame& frame);
  bool empty() const { return records_.empty(); }
  size_t size() const { return records_.size(); }
  uint64_t bytes() const { return bytes_; }
  // The oldest record; requires !empty().
  const v1::Frame& Front() const { return records_.front().frame; }
  const v1::Frame& Back() const { return records_.back().frame; }
  Status PopFront();
  Status Clear();
  // Makes `frame` the only record, in one durable rename: a crash leaves
  // either the old spool or the new one, never an empty spool in between.
  Status Replace(const v1::Frame& frame);

  // One encoded record, and the parse of a whole file (pure; for tests and Open).
  static std::string EncodeRecord(std::string_view payload);
  struct Parsed {
    std::deque<std::string> payloads;
    size_t good_bytes = 0;  // length of the valid prefix
  };
  static Parsed ParseRecords(std::string_view file);

 private:
  struct Record {
    v1::Frame frame;
    uint64_t bytes;  // encoded size, header included
  };
  Spool(std::string path, uint64_t max_bytes, std::shared_ptr<spdlog::logger> logger)
      : path_(std::move(path)), max_bytes_(max_bytes), logger_(std::move(logger)) {}
  Status Rewrite();

  std::string path_;
  uint64_t max_bytes_;
  std::shared_ptr<spdlog::logger> logger_;
  std::deque<Record> records_;
  uint64_t bytes_ = 0;
};

// The report sequence a spooled frame carries (full or delta), 0 otherwise.
uint64_t ReportSequence(const v1::Frame& frame);

}  // namespace estate::agent

#endif  // ESTATE_AGENT_SPOOL_H_
