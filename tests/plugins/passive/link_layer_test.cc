#include "plugins/passive/link_layer.h"

#include <gtest/gtest.h>

#include "plugins/passive/arp_decoder.h"

namespace estate::plugins {
namespace {

std::vector<uint8_t> TaggedArp() {
  std::vector<uint8_t> f = BuildArpRequest({0x02, 1, 2, 3, 4, 5}, 0xc6120001, 0xc6120002);
  // Insert an 802.1Q tag (VLAN 42) before the EtherType.
  const uint8_t tag[] = {0x81, 0x00, 0x00, 0x2a};
  f.insert(f.begin() + 12, std::begin(tag), std::end(tag));
  return f;
}

TEST(LinkLayer, DecodesEthernetHeader) {
  const auto f = BuildArpRequest({0x02, 1, 2, 3, 4, 5}, 0xc6120001, 0xc6120002);
  auto link = DecodeLinkLayer(kLinkTypeEthernet, f);
  ASSERT_TRUE(link.ok()) << link.status().ToString();
  EXPECT_EQ(FormatMacBytes(link->src), "02:01:02:03:04:05");
  EXPECT_EQ(FormatMacBytes(link->dst), "ff:ff:ff:ff:ff:ff");
  EXPECT_EQ(link->ether_type, kEtherTypeArp);
  EXPECT_EQ(link->vlan, 0);
  EXPECT_EQ(link->payload.size(), 46u);
}

TEST(LinkLayer, UnwrapsVlanTags) {
  const auto f = TaggedArp();
  auto link = DecodeLinkLayer(kLinkTypeEthernet, f);
  ASSERT_TRUE(link.ok());
  EXPECT_EQ(link->vlan, 42);
  EXPECT_EQ(link->ether_type, kEtherTypeArp);
  auto arp = DecodeArp(link->payload);
  ASSERT_TRUE(arp.ok());
  EXPECT_EQ(FormatIpv4(arp->target_ip), "198.18.0.2");
}

TEST(LinkLayer, ReportsTruncatedHeadersAsCorruption) {
  const auto f = TaggedArp();
  for (size_t len : {0u, 5u, 13u, 15u}) {
    auto link = DecodeLinkLayer(kLinkTypeEthernet, std::span(f).first(len));
    ASSERT_FALSE(link.ok()) << len;
    EXPECT_EQ(link.status().code(), Status::Code::kCorruption) << len;
  }
}

TEST(LinkLayer, RejectsEndlessTagStacks) {
  std::vector<uint8_t> f(12, 0);
  for (int i = 0; i < 8; ++i) f.insert(f.end(), {0x81, 0x00, 0x00, 0x01});
  f.insert(f.end(), {0x08, 0x06});
  auto link = DecodeLinkLayer(kLinkTypeEthernet, f);
  ASSERT_FALSE(link.ok());
  EXPECT_EQ(link.status().code(), Status::Code::kInvalidArgument);
}

TEST(LinkLayer, DecodesLinuxCookedHeader) {
  // packet type 0 (to us), ARPHRD_ETHER, 6-byte address, ARP.
  std::vector<uint8_t> f = {0, 0, 0, 1, 0, 6, 0x00, 0x50, 0x56, 0x8b, 0xcf, 0xfa, 0, 0, 0x08, 0x06};
  f.insert(f.end(), 28, 0);
  auto link = DecodeLinkLayer(kLinkTypeLinuxSll, f);
  ASSERT_TRUE(link.ok());
  EXPECT_EQ(FormatMacBytes(link->src), "00:50:56:8b:cf:fa");
  EXPECT_EQ(link->ether_type, kEtherTypeArp);
}

TEST(LinkLayer, CallsOtherLinkTypesUnsupported) {
  const std::vector<uint8_t> f(64, 0);
  auto link = DecodeLinkLayer(105 /* 802.11 */, f);
  ASSERT_FALSE(link.ok());
  EXPECT_EQ(link.status().code(), Status::Code::kUnimplemented);
}

}  // namespace
}  // namespace estate::plugins
