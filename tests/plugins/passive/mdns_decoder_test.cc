#include "plugins/passive/mdns_decoder.h"

#include <gtest/gtest.h>

#include "plugins/passive/ip_decoder.h"
#include "plugins/passive/link_layer.h"
#include "tests/plugins/passive/capture_file.h"

namespace estate::plugins {
namespace {

using testing::ReadFrames;

Result<MdnsMessage> DecodeFrame(const testing::Frame& frame, uint32_t* src = nullptr) {
  auto link = DecodeLinkLayer(frame.link_type, frame.bytes);
  if (!link.ok()) return link.status();
  auto udp = DecodeIpv4Udp(link->payload);
  if (!udp.ok()) return udp.status();
  if (src) *src = udp->src_ip;
  return DecodeMdns(udp->payload);
}

// Zeek's dns.log: an unsolicited reply for unrelated-reply-a.local -> 192.168.0.2.
TEST(MdnsDecoder, FindsTheHostnameOfAnARecord) {
  const auto frames = ReadFrames("zeek/mdns-no-assoc.pcap");
  bool found = false;
  for (const auto& f : frames) {
    uint32_t src = 0;
    auto m = DecodeFrame(f, &src);
    if (!m.ok() || !m->response) continue;
    for (const DnsRecord& r : m->records) {
      if (r.type != 1) continue;
      EXPECT_EQ(r.name, "unrelated-reply-a.local");
      EXPECT_EQ(FormatIpv4(r.ipv4), "192.168.0.2");
      EXPECT_EQ(r.ttl, 120u);
      EXPECT_EQ(MdnsHostnameFor(*m, src), "unrelated-reply-a");
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

// tcpdump -v of mdns.pcap: "johanna-QEMU-Virtual-Machine.local. A 10.0.2.7" with
// a PTR from 7.2.0.10.in-addr.arpa.
TEST(MdnsDecoder, DecodesCompressedNamesOfAHostAnnouncement) {
  const auto frames = ReadFrames("zeek/mdns.pcap");
  bool found = false;
  for (const auto& f : frames) {
    uint32_t src = 0;
    auto m = DecodeFrame(f, &src);
    if (!m.ok() || FormatIpv4(src) != "10.0.2.7" || !m->response) continue;
    EXPECT_EQ(MdnsHostnameFor(*m, src), "johanna-QEMU-Virtual-Machine");
    bool ptr = false;
    for (const DnsRecord& r : m->records) {
      if (r.type == 12 && r.name == "7.2.0.10.in-addr.arpa") {
        EXPECT_EQ(r.target, "johanna-QEMU-Virtual-Machine.local");
        ptr = true;
      }
    }
    EXPECT_TRUE(ptr);
    found = true;
  }
  EXPECT_TRUE(found);
}

TEST(MdnsDecoder, StopsAtACompressionLoop) {
  // Header with one answer whose name points at itself.
  const std::vector<uint8_t> m = {0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1};
  auto decoded = DecodeMdns(m);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), Status::Code::kInvalidArgument);
}

TEST(MdnsDecoder, SurvivesTcpdumpsCompressionLoopCapture) {
  const auto frames = ReadFrames("tcpdump/dns-zlip-1.pcap");
  ASSERT_FALSE(frames.empty());
  int refused = 0;
  for (const auto& f : frames) refused += !DecodeFrame(f).ok();
  EXPECT_EQ(refused, static_cast<int>(frames.size()));
}

}  // namespace
}  // namespace estate::plugins
