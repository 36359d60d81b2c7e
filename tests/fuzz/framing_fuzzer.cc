// The frame decoder every byte from an agent or estatectl goes through first:
// a stream of length-prefixed frames, each payload parsed as estate.v1.Frame
// (agent port) and as estate.v1.AdminRequest (admin socket). A payload that
// parses must encode back into a frame the decoder accepts.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "estate/framing.h"
#include "estate/v1/admin.pb.h"
#include "estate/v1/frame.pb.h"

namespace {

// Small, so that the fuzzer also reaches the "exceeds the limit" path.
constexpr uint32_t kMaxFrameBytes = 1u << 16;

void CheckRoundTrip(const google::protobuf::MessageLite& message) {
  auto encoded = estate::EncodeFrame(message, kMaxFrameBytes);
  if (!encoded.ok()) return;  // re-encoding may grow past the limit (unknown fields, varints)
  auto length = estate::DecodeFrameHeader(*encoded, kMaxFrameBytes);
  if (message.ByteSizeLong() > 0 && !length.ok()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  estate::FrameDecoder decoder(kMaxFrameBytes);
  // Two appends: a frame split across reads must decode like a whole one.
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  decoder.Append(bytes.substr(0, size / 2));
  std::string payload;
  bool appended_rest = false;
  for (;;) {
    estate::Status st = decoder.Next(&payload);
    if (st.code() == estate::Status::Code::kNotFound && !appended_rest) {
      decoder.Append(bytes.substr(size / 2));
      appended_rest = true;
      continue;
    }
    if (!st.ok()) break;
    estate::v1::Frame frame;
    if (estate::DecodeFramePayload(payload, &frame).ok()) CheckRoundTrip(frame);
    estate::v1::AdminRequest request;
    if (estate::DecodeFramePayload(payload, &request).ok()) CheckRoundTrip(request);
  }
  return 0;
}
