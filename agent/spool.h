// Spool: the agent's bounded on-disk queue of reports not yet acknowledged by
// the collector, oldest first, in one append-only file of self-validating
// records (agent/spool_record.h): a report record per queued report, and a
// consumed record each time the oldest one is acknowledged or evicted.
//
// Every report append is fsync'd before it returns. Draining costs one small
// append per acknowledged report, never a rewrite of the reports behind it,
// and no fsync: a consumed record lost to a power cut only brings back a
// report the collector already holds, which the reporter drops unsent (by its
// sequence), and the next synced append makes the earlier ones durable. The dead
// records are dropped by compaction (a rewrite of the live ones to a
// temporary, renamed over the file) only once they outweigh the live ones, so
// the bytes written stay linear in the bytes spooled. When the spool empties
// the file is removed. A crash leaves either whole file of a rename, and a
// record torn by a crash during an append fails its checks and is cut off,
// with everything before it kept: a report is at worst sent again, which the
// collector recognises by its sequence.
//
// Open() also reads the format of older agents and rewrites it in the current
// one; a spooled report whose text is not valid UTF-8 (as older agents could
// write) is repaired, not lost.
//
// When an append would pass `max_bytes` of live reports, the oldest ones are
// evicted (and logged) until it fits. Not thread-safe: one owner.
#ifndef ESTATE_AGENT_SPOOL_H_
#define ESTATE_AGENT_SPOOL_H_

#include <spdlog/logger.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <string>

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
  // Encoded size of the live reports.
  uint64_t bytes() const { return bytes_; }
  // The oldest record; requires !empty().
  const v1::Frame& Front() const { return records_.front().frame; }
  const v1::Frame& Back() const { return records_.back().frame; }
  Status PopFront();
  Status Clear();
  // Makes `frame` the only record, in one durable rename: a crash leaves
  // either the old spool or the new one, never an empty spool in between.
  Status Replace(const v1::Frame& frame);

  // Bytes written to the file since Open: what draining costs in I/O.
  uint64_t bytes_written() const { return bytes_written_; }
  // Size of the file: the live reports plus records not yet compacted away.
  uint64_t file_bytes() const { return file_bytes_; }

 private:
  struct Record {
    v1::Frame frame;
    uint64_t offset;  // of its report record in the file
    uint64_t bytes;   // encoded size, header included
  };
  Spool(std::string path, uint64_t max_bytes, std::shared_ptr<spdlog::logger> logger)
      : path_(std::move(path)), max_bytes_(max_bytes), logger_(std::move(logger)) {}
  Status Load(std::string_view content, bool* dropped_tail);
  // One append (fsync'd when `sync`); on failure the file is cut back to what it was.
  Status AppendToFile(const std::string& bytes, bool sync);
  Status CompactIfWorthIt();
  // Writes the live reports alone to a new file (or removes it when none).
  Status Rewrite();

  std::string path_;
  uint64_t max_bytes_;
  std::shared_ptr<spdlog::logger> logger_;
  std::deque<Record> records_;
  uint64_t bytes_ = 0;
  uint64_t file_bytes_ = 0;
  uint64_t bytes_written_ = 0;
};

// The report sequence a spooled frame carries (full or delta), 0 otherwise.
uint64_t ReportSequence(const v1::Frame& frame);

}  // namespace estate::agent

#endif  // ESTATE_AGENT_SPOOL_H_
