// Length-prefixed Protobuf frames: a 4-byte big-endian length, then that many
// bytes of a serialized message. The length is checked against a hard limit
// before any payload byte is read, so a hostile peer cannot make the reader
// allocate more than the limit.
//
// Pure functions over bytes; the socket code in collector/net and
// estate/collector_client.h only moves bytes.
#ifndef ESTATE_FRAMING_H_
#define ESTATE_FRAMING_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "estate/status.h"

namespace google::protobuf {
class MessageLite;
}

namespace estate {

inline constexpr size_t kFrameHeaderBytes = 4;
// Large enough for a full report of a host with tens of thousands of packages.
inline constexpr uint32_t kDefaultMaxFrameBytes = 16u << 20;

// Protocol versions this build speaks (see frame.proto).
inline constexpr uint32_t kProtocolVersion = 1;
inline constexpr uint32_t kMinProtocolVersion = 1;

// Serializes `message` with its length header; fails when it exceeds `max_bytes`.
Result<std::string> EncodeFrame(const google::protobuf::MessageLite& message,
                                uint32_t max_bytes = kDefaultMaxFrameBytes);

// Decodes the 4-byte header; rejects an empty frame and one larger than `max_bytes`.
Result<uint32_t> DecodeFrameHeader(std::string_view header,
                                   uint32_t max_bytes = kDefaultMaxFrameBytes);

// Parses a payload into `message`; garbage bytes give Corruption.
Status DecodeFramePayload(std::string_view payload, google::protobuf::MessageLite* message);

// Incremental decoder for a byte stream (tests, fuzzers and buffered readers):
// Append() bytes, then Next() until it returns NotFound ("need more bytes").
// Any other error is permanent: the stream is not a valid frame sequence.
class FrameDecoder {
 public:
  explicit FrameDecoder(uint32_t max_bytes = kDefaultMaxFrameBytes) : max_bytes_(max_bytes) {}

  void Append(std::string_view bytes) { buffer_.append(bytes); }
  // Extracts the next whole payload into `payload`.
  Status Next(std::string* payload);
  size_t buffered() const { return buffer_.size() - consumed_; }

 private:
  uint32_t max_bytes_;
  std::string buffer_;
  size_t consumed_ = 0;
  Status error_;
};

}  // namespace estate

#endif  // ESTATE_FRAMING_H_
