// The records of the agent's spool file (agent/spool.h): pure encoding and
// parsing, apart from any I/O.
//
// Format 2, every record self-validating:
//   magic "ESPL" | u8 version (2) | u8 kind | u16 zero | u32 length | u32 CRC | payload
// (integers little-endian). `length` is that of the payload and never 0; the
// CRC-32 covers the header's bytes 4..11 (version, kind, reserved, length) and
// the payload, so zeros, a random tail or a record torn by a crash cannot pass
// for one. Kinds:
//   report    the payload is a serialized v1::Frame;
//   consumed  the payload is the u64 file offset of the oldest live report,
//             which it removes (appended when a report is acknowledged or
//             evicted, so that draining never rewrites the rest of the file).
//
// Format 1 (agents before 0.9): [u32 length][u32 CRC-32 of payload][payload],
// reports only. It is still read, so that an upgrade loses nothing, with one
// fix: a record of length 0 is not a record (80 zero bytes are not 10 empty
// reports). A file in format 1 has no magic: its first bytes are a length,
// and "ESPL" read as one is far past the record limit.
#ifndef ESTATE_AGENT_SPOOL_RECORD_H_
#define ESTATE_AGENT_SPOOL_RECORD_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace estate::agent {

enum class SpoolRecordKind : uint8_t { kReport = 1, kConsumed = 2 };

inline constexpr size_t kSpoolRecordHeaderBytes = 16;
// A single report is bounded by the frame limit; anything larger is corruption.
inline constexpr uint32_t kMaxSpoolPayloadBytes = 64u << 20;

struct SpoolRecord {
  SpoolRecordKind kind;
  uint64_t offset;           // where the record starts in the file
  uint64_t bytes;            // the whole record, header included
  std::string_view payload;  // a view into the parsed file
};

struct ParsedSpoolFile {
  int format = 2;  // 1 for a file written by an older agent
  std::vector<SpoolRecord> records;
  size_t good_bytes = 0;  // length of the valid prefix; the rest is a torn or corrupt tail
};

std::string EncodeSpoolRecord(SpoolRecordKind kind, std::string_view payload);
// The consumed record that removes the report at `report_offset`.
std::string EncodeConsumedRecord(uint64_t report_offset);
// Reads the offset a consumed record's payload names; false when malformed.
bool DecodeConsumedRecord(std::string_view payload, uint64_t* report_offset);
// A format 1 record, as agents before format 2 wrote them (for migration tests).
std::string EncodeLegacySpoolRecord(std::string_view payload);

// Parses a whole spool file of either format, up to the first record that
// fails its checks.
ParsedSpoolFile ParseSpoolFile(std::string_view file);

}  // namespace estate::agent

#endif  // ESTATE_AGENT_SPOOL_RECORD_H_
