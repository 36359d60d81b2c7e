#include "estate/framing.h"

#include <gtest/gtest.h>

#include "estate/v1/frame.pb.h"

namespace estate {
namespace {

v1::Frame HelloFrame() {
  v1::Frame frame;
  frame.set_request_id(7);
  frame.mutable_hello()->set_node_id("node-1");
  frame.mutable_hello()->set_protocol_version(kProtocolVersion);
  return frame;
}

TEST(Framing, RoundTripsAFrameThroughTheDecoder) {
  auto bytes = EncodeFrame(HelloFrame());
  ASSERT_TRUE(bytes.ok());
  FrameDecoder decoder;
  decoder.Append(*bytes);
  std::string payload;
  ASSERT_TRUE(decoder.Next(&payload).ok());
  v1::Frame decoded;
  ASSERT_TRUE(DecodeFramePayload(payload, &decoded).ok());
  EXPECT_EQ(decoded.request_id(), 7u);
  EXPECT_EQ(decoded.hello().node_id(), "node-1");
  EXPECT_TRUE(decoder.Next(&payload).IsNotFound());
}

TEST(Framing, HeaderIsFourBytesBigEndianLength) {
  auto bytes = EncodeFrame(HelloFrame());
  ASSERT_TRUE(bytes.ok());
  const size_t payload = bytes->size() - kFrameHeaderBytes;
  EXPECT_EQ(static_cast<unsigned char>((*bytes)[3]), payload & 0xff);
  EXPECT_EQ((*bytes)[0], 0);
}

TEST(Framing, TruncatedFrameWaitsForMoreBytes) {
  auto bytes = EncodeFrame(HelloFrame());
  ASSERT_TRUE(bytes.ok());
  FrameDecoder decoder;
  decoder.Append(std::string_view(*bytes).substr(0, bytes->size() - 1));
  std::string payload;
  EXPECT_TRUE(decoder.Next(&payload).IsNotFound());
  decoder.Append(std::string_view(*bytes).substr(bytes->size() - 1));
  EXPECT_TRUE(decoder.Next(&payload).ok());
}

TEST(Framing, OversizedFrameIsRefusedFromItsHeaderAlone) {
  FrameDecoder decoder(1024);
  decoder.Append(std::string("\x00\x00\x08\x00", 4));  // 2048 bytes announced
  std::string payload;
  Status st = decoder.Next(&payload);
  EXPECT_EQ(st.code(), Status::Code::kResourceExhausted);
  EXPECT_NE(st.message().find("exceeds the limit"), std::string::npos);
  // The error is permanent for this stream.
  EXPECT_EQ(decoder.Next(&payload).code(), Status::Code::kResourceExhausted);
}

TEST(Framing, EmptyFrameIsCorruption) {
  auto length = DecodeFrameHeader(std::string("\0\0\0\0", 4));
  EXPECT_EQ(length.status().code(), Status::Code::kCorruption);
}

TEST(Framing, GarbagePayloadIsCorruption) {
  v1::Frame frame;
  // A field tag with wire type 7 does not exist.
  Status st = DecodeFramePayload(std::string("\xff\xff\xff\xff\x0f", 5), &frame);
  EXPECT_EQ(st.code(), Status::Code::kCorruption);
}

TEST(Framing, EncodingRefusesAMessageOverTheLimit) {
  v1::Frame frame = HelloFrame();
  frame.mutable_hello()->set_hostname(std::string(4096, 'x'));
  EXPECT_FALSE(EncodeFrame(frame, 1024).ok());
}

TEST(Framing, UnknownBodyFromANewerPeerParsesWithNoBodySet) {
  // Field 99, length-delimited, 1 byte: a message type this build does not know.
  v1::Frame frame;
  ASSERT_TRUE(DecodeFramePayload(std::string("\x08\x05\x9a\x06\x01\x00", 6), &frame).ok());
  EXPECT_EQ(frame.body_case(), v1::Frame::BODY_NOT_SET);
  EXPECT_EQ(frame.request_id(), 5u);
}

}  // namespace
}  // namespace estate
