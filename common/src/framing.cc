#include "estate/framing.h"

#include <google/protobuf/message_lite.h>

namespace estate {

Result<std::string> EncodeFrame(const google::protobuf::MessageLite& message, uint32_t max_bytes) {
  const size_t size = message.ByteSizeLong();
  if (size > max_bytes) {
    return Status::InvalidArgument("frame of " + std::to_string(size) +
                                   " bytes exceeds the limit of " + std::to_string(max_bytes));
  }
  std::string out(kFrameHeaderBytes + size, '\0');
  out[0] = static_cast<char>((size >> 24) & 0xff);
  out[1] = static_cast<char>((size >> 16) & 0xff);
  out[2] = static_cast<char>((size >> 8) & 0xff);
  out[3] = static_cast<char>(size & 0xff);
  if (!message.SerializeToArray(out.data() + kFrameHeaderBytes, static_cast<int>(size))) {
    return Status::InvalidArgument("message could not be serialized");
  }
  return out;
}

Result<uint32_t> DecodeFrameHeader(std::string_view header, uint32_t max_bytes) {
  if (header.size() < kFrameHeaderBytes) return Status::Corruption("truncated frame header");
  const auto* b = reinterpret_cast<const unsigned char*>(header.data());
  const uint32_t length =
      (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | uint32_t{b[3]};
  if (length == 0) return Status::Corruption("empty frame");
  if (length > max_bytes) {
    return Status::ResourceExhausted("frame of " + std::to_string(length) +
                                     " bytes exceeds the limit of " + std::to_string(max_bytes));
  }
  return length;
}

Status DecodeFramePayload(std::string_view payload, google::protobuf::MessageLite* message) {
  if (!message->ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    return Status::Corruption("frame payload is not a valid " + message->GetTypeName());
  }
  return Status::Ok();
}

Status FrameDecoder::Next(std::string* payload) {
  if (!error_.ok()) return error_;
  std::string_view rest(buffer_);
  rest.remove_prefix(consumed_);
  if (rest.size() < kFrameHeaderBytes) return Status::NotFound("need more bytes");
  auto length = DecodeFrameHeader(rest, max_bytes_);
  if (!length.ok()) {
    error_ = length.status();
    return error_;
  }
  if (rest.size() < kFrameHeaderBytes + *length) return Status::NotFound("need more bytes");
  payload->assign(rest.substr(kFrameHeaderBytes, *length));
  consumed_ += kFrameHeaderBytes + *length;
  if (consumed_ > (1u << 20) && consumed_ * 2 > buffer_.size()) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
  return Status::Ok();
}

}  // namespace estate
