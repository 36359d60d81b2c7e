#include "plugins/passive/arp_decoder.h"

#include <gtest/gtest.h>

#include "tests/plugins/passive/capture_file.h"

namespace estate::plugins {
namespace {

using testing::ReadFrames;

Result<ArpPacket> DecodeFrame(const testing::Frame& frame) {
  auto link = DecodeLinkLayer(frame.link_type, frame.bytes);
  if (!link.ok()) return link.status();
  return DecodeArp(link->payload);
}

TEST(ArpDecoder, BuildsARequestItCanDecode) {
  const auto f = BuildArpRequest({0x02, 0xe5, 0x7a, 0xff, 0xff, 0xfe}, 0xc61200fe, 0xc6120007);
  ASSERT_EQ(f.size(), 60u);
  auto arp = DecodeFrame({kLinkTypeEthernet, 0, f});
  ASSERT_TRUE(arp.ok());
  EXPECT_EQ(arp->operation, kArpRequest);
  EXPECT_EQ(FormatMacBytes(arp->sender_mac), "02:e5:7a:ff:ff:fe");
  EXPECT_EQ(FormatIpv4(arp->sender_ip), "198.18.0.254");
  EXPECT_EQ(FormatIpv4(arp->target_ip), "198.18.0.7");
  EXPECT_EQ(FormatMacBytes(arp->target_mac), "00:00:00:00:00:00");
}

// Zeek's baseline: src mac, dst mac, SPA, SHA, TPA, THA of each event.
TEST(ArpDecoder, DecodesZeekWhoHasTraceLikeZeek) {
  const auto frames = ReadFrames("zeek/arp-who-has.pcap");
  ASSERT_EQ(frames.size(), 2u);
  auto request = DecodeFrame(frames[0]);
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->operation, kArpRequest);
  EXPECT_EQ(FormatIpv4(request->sender_ip), "10.0.0.2");
  EXPECT_EQ(FormatMacBytes(request->sender_mac), "78:31:c1:c6:3f:c2");
  EXPECT_EQ(FormatIpv4(request->target_ip), "10.0.0.1");
  EXPECT_EQ(FormatMacBytes(request->target_mac), "00:00:00:00:00:00");
  auto reply = DecodeFrame(frames[1]);
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->operation, kArpReply);
  EXPECT_EQ(FormatIpv4(reply->sender_ip), "10.0.0.1");
  EXPECT_EQ(FormatMacBytes(reply->sender_mac), "f8:ed:a5:c0:a4:f1");
  EXPECT_EQ(FormatIpv4(reply->target_ip), "10.0.0.2");
  EXPECT_EQ(FormatMacBytes(reply->target_mac), "78:31:c1:c6:3f:c2");
}

TEST(ArpDecoder, DecodesArpInLinuxCookedCapture) {
  const auto frames = ReadFrames("zeek/linuxsll-arp.pcap");
  ASSERT_EQ(frames.size(), 12u);
  EXPECT_EQ(frames[0].link_type, kLinkTypeLinuxSll);
  int decoded = 0;
  for (const auto& f : frames) decoded += DecodeFrame(f).ok();
  EXPECT_EQ(decoded, 12);
}

// tcpdump's arp-oobr.out shows 2,023 of the 2,282 frames as "Ethernet (len 6),
// IPv4 (len 4)"; every other one is fuzzed and must be refused, not misread.
TEST(ArpDecoder, AcceptsExactlyTheFramesTcpdumpDecodesInArpOobr) {
  const auto frames = ReadFrames("tcpdump/arp-oobr.pcap");
  ASSERT_EQ(frames.size(), 2282u);
  int valid = 0, refused = 0;
  for (const auto& f : frames) {
    if (DecodeFrame(f).ok()) {
      ++valid;
    } else {
      ++refused;
    }
  }
  EXPECT_EQ(valid, 2023);
  EXPECT_EQ(refused, 259);
}

TEST(ArpDecoder, RefusesMalformedArpCaptures) {
  for (const char* file : {"tcpdump/arp-too-long-tha.pcap", "tcpdump/aarp-heapoverflow-1.pcap"}) {
    const auto frames = ReadFrames(file);
    ASSERT_FALSE(frames.empty()) << file;
    for (const auto& f : frames) EXPECT_FALSE(DecodeFrame(f).ok()) << file;
  }
}

TEST(ArpDecoder, ReportsEachTruncationPointAsCorruption) {
  const auto f = BuildArpRequest({2, 0, 0, 0, 0, 1}, 1, 2);
  const std::span<const uint8_t> payload = std::span(f).subspan(14, 28);
  for (size_t len = 0; len < payload.size(); ++len) {
    auto arp = DecodeArp(payload.first(len));
    ASSERT_FALSE(arp.ok()) << len;
    EXPECT_EQ(arp.status().code(), Status::Code::kCorruption) << len;
  }
}

}  // namespace
}  // namespace estate::plugins
