#include "plugins/passive/dhcp_decoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "plugins/passive/ip_decoder.h"
#include "plugins/passive/link_layer.h"
#include "tests/plugins/passive/capture_file.h"

namespace estate::plugins {
namespace {

using ::testing::ElementsAre;
using testing::ReadFrames;

Result<DhcpMessage> DecodeFrame(const testing::Frame& frame) {
  auto link = DecodeLinkLayer(frame.link_type, frame.bytes);
  if (!link.ok()) return link.status();
  auto udp = DecodeIpv4Udp(link->payload);
  if (!udp.ok()) return udp.status();
  return DecodeDhcp(udp->payload);
}

// Zeek's dhcp.log: mac 00:0b:82:01:fc:42, host_name test0000, requested
// 208.67.222.222, DISCOVER; tcpdump -v adds the parameter list 1, 3, 6, 42.
TEST(DhcpDecoder, DecodesDiscoverWithHostnameAndParameterList) {
  const auto frames = ReadFrames("zeek/dhcp_discover_param_req_client_id.pcap");
  ASSERT_EQ(frames.size(), 1u);
  auto m = DecodeFrame(frames[0]);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->op, 1);
  EXPECT_EQ(m->message_type, 1);  // DISCOVER
  ASSERT_TRUE(m->client_mac.has_value());
  EXPECT_EQ(FormatMacBytes(*m->client_mac), "00:0b:82:01:fc:42");
  EXPECT_EQ(m->hostname, "test0000");
  EXPECT_EQ(FormatIpv4(m->requested_ip), "208.67.222.222");
  EXPECT_THAT(m->parameter_list, ElementsAre(1, 3, 6, 42));
  EXPECT_EQ(m->client_id, "01000b8201fc42");  // type 1 (Ethernet) + MAC
  EXPECT_TRUE(m->options_valid);
}

// tcpdump's dhcp-mud.out: the Raspberry Pi's vendor class and 16 parameters.
TEST(DhcpDecoder, DecodesVendorClassFingerprintOfARaspberryPi) {
  const auto frames = ReadFrames("tcpdump/dhcp-mud.pcap");
  ASSERT_EQ(frames.size(), 2u);
  auto m = DecodeFrame(frames[0]);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->hostname, "raspberrypi");
  EXPECT_EQ(m->vendor_class, "dhcpcd-6.11.5:Linux-4.1.18-v7+:armv7l:BCM2709");
  EXPECT_THAT(m->parameter_list,
              ElementsAre(1, 121, 33, 3, 6, 12, 15, 28, 42, 51, 54, 58, 59, 100, 101, 119));
  EXPECT_EQ(m->client_id, "01b827ebb853c8");
}

TEST(DhcpDecoder, ReadsPcapngCaptures) {
  const auto frames = ReadFrames("tcpdump/dhcp-option-108.pcapng");
  ASSERT_FALSE(frames.empty());
  auto m = DecodeFrame(frames[0]);
  ASSERT_TRUE(m.ok());
  ASSERT_TRUE(m->client_mac.has_value());
  EXPECT_EQ(FormatMacBytes(*m->client_mac), "42:b4:44:b4:f0:ee");
  EXPECT_EQ(m->client_id, "0142b444b4f0ee");
}

// Zeek's bad-cookie test: options after a wrong magic cookie must not be used.
TEST(DhcpDecoder, IgnoresOptionsAfterABadMagicCookie) {
  const auto frames = ReadFrames("zeek/dhcp_bad_cookie.pcap");
  ASSERT_FALSE(frames.empty());
  int bad_cookies = 0;
  for (const auto& f : frames) {
    auto m = DecodeFrame(f);
    if (!m.ok() || m->options_valid) continue;
    ++bad_cookies;
    EXPECT_TRUE(m->hostname.empty());
    EXPECT_TRUE(m->parameter_list.empty());
    EXPECT_EQ(m->message_type, 0);
  }
  EXPECT_GT(bad_cookies, 0);
}

TEST(DhcpDecoder, KeepsOptionsBeforeATruncatedOne) {
  std::vector<uint8_t> p(236, 0);
  p[0] = 1;
  p[1] = 1;
  p[2] = 6;
  p.insert(p.end(), {0x63, 0x82, 0x53, 0x63, 53, 1, 3, 12, 4, 'h', 'o', 's', 't', 60, 40, 'x'});
  auto m = DecodeDhcp(p);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->message_type, 3);
  EXPECT_EQ(m->hostname, "host");
  EXPECT_TRUE(m->vendor_class.empty());
  EXPECT_TRUE(m->options_truncated);
}

TEST(DhcpDecoder, RefusesAShortBootpHeader) {
  std::vector<uint8_t> p(100, 0);
  p[0] = 1;
  auto m = DecodeDhcp(p);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), Status::Code::kCorruption);
}

}  // namespace
}  // namespace estate::plugins
