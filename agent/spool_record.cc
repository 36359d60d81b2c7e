#include "agent/spool_record.h"

#include "agent/durable_file.h"

namespace estate::agent {
namespace {

constexpr std::string_view kMagic = "ESPL";
constexpr uint8_t kFormatVersion = 2;
constexpr size_t kLegacyHeaderBytes = 8;

void PutU32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

uint32_t GetU32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

// CRC-32 of the checked header bytes followed by the payload, without copying.
uint32_t RecordCrc(std::string_view checked_header, std::string_view payload) {
  return Crc32(payload, Crc32(checked_header));
}

ParsedSpoolFile ParseFormat2(std::string_view file) {
  ParsedSpoolFile parsed;
  size_t offset = 0;
  while (offset + kSpoolRecordHeaderBytes <= file.size()) {
    const char* h = file.data() + offset;
    if (std::string_view(h, 4) != kMagic || static_cast<uint8_t>(h[4]) != kFormatVersion) break;
    const auto kind = static_cast<SpoolRecordKind>(static_cast<uint8_t>(h[5]));
    if (kind != SpoolRecordKind::kReport && kind != SpoolRecordKind::kConsumed) break;
    if (h[6] != 0 || h[7] != 0) break;
    const uint32_t length = GetU32(h + 8);
    if (length == 0 || length > kMaxSpoolPayloadBytes ||
        length > file.size() - offset - kSpoolRecordHeaderBytes) {
      break;
    }
    const std::string_view payload = file.substr(offset + kSpoolRecordHeaderBytes, length);
    if (RecordCrc(std::string_view(h + 4, 8), payload) != GetU32(h + 12)) break;
    const uint64_t bytes = kSpoolRecordHeaderBytes + length;
    parsed.records.push_back(SpoolRecord{kind, offset, bytes, payload});
    offset += bytes;
  }
  parsed.good_bytes = offset;
  return parsed;
}

ParsedSpoolFile ParseFormat1(std::string_view file) {
  ParsedSpoolFile parsed;
  parsed.format = 1;
  size_t offset = 0;
  while (offset + kLegacyHeaderBytes <= file.size()) {
    const uint32_t length = GetU32(file.data() + offset);
    const uint32_t crc = GetU32(file.data() + offset + 4);
    // Length 0 with CRC 0 passed the old check: zeros are where records stop.
    if (length == 0 || length > kMaxSpoolPayloadBytes ||
        length > file.size() - offset - kLegacyHeaderBytes) {
      break;
    }
    const std::string_view payload = file.substr(offset + kLegacyHeaderBytes, length);
    if (Crc32(payload) != crc) break;
    const uint64_t bytes = kLegacyHeaderBytes + length;
    parsed.records.push_back(SpoolRecord{SpoolRecordKind::kReport, offset, bytes, payload});
    offset += bytes;
  }
  parsed.good_bytes = offset;
  return parsed;
}

}  // namespace

std::string EncodeSpoolRecord(SpoolRecordKind kind, std::string_view payload) {
  std::string out;
  out.reserve(kSpoolRecordHeaderBytes + payload.size());
  out.append(kMagic);
  out.push_back(static_cast<char>(kFormatVersion));
  out.push_back(static_cast<char>(kind));
  out.append(2, '\0');
  PutU32(&out, static_cast<uint32_t>(payload.size()));
  PutU32(&out, RecordCrc(std::string_view(out).substr(4, 8), payload));
  out.append(payload);
  return out;
}

std::string EncodeConsumedRecord(uint64_t report_offset) {
  std::string payload;
  PutU32(&payload, static_cast<uint32_t>(report_offset));
  PutU32(&payload, static_cast<uint32_t>(report_offset >> 32));
  return EncodeSpoolRecord(SpoolRecordKind::kConsumed, payload);
}

bool DecodeConsumedRecord(std::string_view payload, uint64_t* report_offset) {
  if (payload.size() != 8) return false;
  *report_offset = GetU32(payload.data()) | (uint64_t{GetU32(payload.data() + 4)} << 32);
  return true;
}

std::string EncodeLegacySpoolRecord(std::string_view payload) {
  std::string out;
  PutU32(&out, static_cast<uint32_t>(payload.size()));
  PutU32(&out, Crc32(payload));
  out.append(payload);
  return out;
}

ParsedSpoolFile ParseSpoolFile(std::string_view file) {
  if (file.empty() || file.substr(0, kMagic.size()) == kMagic) return ParseFormat2(file);
  return ParseFormat1(file);
}

}  // namespace estate::agent
