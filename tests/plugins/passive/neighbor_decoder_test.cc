#include "plugins/passive/neighbor_decoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "plugins/passive/link_layer.h"
#include "tests/plugins/passive/capture_file.h"

namespace estate::plugins {
namespace {

using testing::ReadFrames;

Result<NeighborAnnouncement> DecodeFrame(const testing::Frame& frame) {
  auto link = DecodeLinkLayer(frame.link_type, frame.bytes);
  if (!link.ok()) return link.status();
  if (link->ether_type == kEtherTypeLldp && !link->snap) return DecodeLldp(link->payload);
  if (link->snap && link->snap_oui == 0x00000c && link->ether_type == 0x2000) {
    return DecodeCdp(link->payload);
  }
  return Status::NotFound("not LLDP or CDP");
}

// tcpdump -v of lldp.pcap: chassis MAC 00:22:2d:81:db:10, system name
// SMCGS8P-Smart, management address 192.168.2.10.
TEST(NeighborDecoder, DecodesAnLldpAnnouncement) {
  const auto frames = ReadFrames("zeek/lldp.pcap");
  ASSERT_EQ(frames.size(), 1u);
  auto n = DecodeFrame(frames[0]);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->chassis_id, "00:22:2d:81:db:10");
  EXPECT_EQ(n->port_id, "1");
  EXPECT_EQ(n->system_name, "SMCGS8P-Smart");
  ASSERT_EQ(n->ipv4_addresses.size(), 1u);
  EXPECT_EQ(FormatIpv4(n->ipv4_addresses[0]), "192.168.2.10");
}

// tcpdump's cdp-v.out: Device-ID 'Switch', Platform 'cisco WS-C3560G-24PS',
// Address IPv4 192.168.0.1.
TEST(NeighborDecoder, DecodesCdpFromACatalyst3560) {
  const auto frames = ReadFrames("tcpdump/3560_CDP.pcap");
  ASSERT_FALSE(frames.empty());
  auto n = DecodeFrame(frames[0]);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->system_name, "Switch");
  EXPECT_EQ(n->platform, "cisco WS-C3560G-24PS");
  ASSERT_FALSE(n->ipv4_addresses.empty());
  EXPECT_EQ(FormatIpv4(n->ipv4_addresses[0]), "192.168.0.1");
}

// tcpdump's lldp_cdp-ev.out: CDP from S1 and S2, LLDP system names S1.cisco.com
// and S2.cisco.com with their chassis MACs.
TEST(NeighborDecoder, DecodesMixedLldpAndCdpLikeTcpdump) {
  const auto frames = ReadFrames("tcpdump/LLDP_and_CDP.pcap");
  std::set<std::string> cdp, lldp;
  for (const auto& f : frames) {
    auto n = DecodeFrame(f);
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    if (n->platform.empty()) {
      lldp.insert(n->system_name + " " + n->chassis_id);
    } else {
      cdp.insert(n->system_name + " " + n->platform);
    }
  }
  EXPECT_THAT(cdp, ::testing::ElementsAre("S1 cisco WS-C3560-24TS", "S2 cisco WS-C3560G-24PS"));
  EXPECT_THAT(lldp, ::testing::ElementsAre("S1.cisco.com 00:18:ba:98:68:8f",
                                           "S2.cisco.com 00:19:2f:a7:b2:8d"));
}

TEST(NeighborDecoder, RefusesMalformedLldpWithoutLooping) {
  for (const char* file : {"tcpdump/lldp_asan.pcap", "tcpdump/lldp_mgmt_addr_tlv_asan.pcap",
                           "tcpdump/lldp_8023_mtu-oobr.pcap"}) {
    const auto frames = ReadFrames(file);
    ASSERT_FALSE(frames.empty()) << file;
    int refused = 0;
    for (const auto& f : frames) refused += !DecodeFrame(f).ok();
    EXPECT_GT(refused, 0) << file;
  }
}

// The frame that sent tcpdump into a loop has sound mandatory TLVs (tcpdump
// -vvv shows chassis MAC 08:00:27:42:ba:59); the decoder reads it and stops.
TEST(NeighborDecoder, ReadsTheFrameThatLoopedTcpdump) {
  const auto frames = ReadFrames("tcpdump/lldp-infinite-loop-1.pcap");
  ASSERT_EQ(frames.size(), 1u);
  auto n = DecodeFrame(frames[0]);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->chassis_id, "08:00:27:42:ba:59");
}

TEST(NeighborDecoder, RefusesLldpWhoseMandatoryTlvsAreOutOfOrder) {
  // Port id (type 2) first instead of chassis id.
  const std::vector<uint8_t> pdu = {0x04, 0x02, 0x07, '1', 0x02, 0x02, 0x07, '1', 0, 0};
  auto n = DecodeLldp(pdu);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace estate::plugins
