#include "plugins/passive/link_layer.h"

#include <cstdio>

#include "plugins/passive/decode_result.h"

namespace estate::plugins {
namespace {

bool TakeMac(ByteReader& r, MacBytes* mac) {
  Bytes b;
  if (!r.Take(6, &b)) return false;
  std::copy(b.begin(), b.end(), mac->begin());
  return true;
}

// After the MAC addresses (or the cooked header): tags, then EtherType or
// 802.3 length + LLC.
Result<LinkFrame> DecodeTypeAndPayload(ByteReader& r, LinkFrame frame, uint16_t type) {
  for (int tags = 0; type == kEtherTypeVlan || type == kEtherTypeQinQ; ++tags) {
    if (tags >= 4) return Malformed("VLAN tag stack");
    uint16_t tci;
    if (!r.U16(&tci) || !r.U16(&type)) return Truncated("802.1Q tag");
    frame.vlan = tci & 0x0fff;
  }
  if (type <= 1500) {  // IEEE 802.3 length; LLC follows
    uint8_t dsap, ssap, control;
    if (!r.U8(&dsap) || !r.U8(&ssap) || !r.U8(&control)) return Truncated("LLC header");
    if (dsap != 0xaa || ssap != 0xaa) return Unsupported("LLC without SNAP");
    uint8_t oui[3];
    if (!r.U8(&oui[0]) || !r.U8(&oui[1]) || !r.U8(&oui[2]) || !r.U16(&type)) {
      return Truncated("SNAP header");
    }
    frame.snap = true;
    frame.snap_oui = static_cast<uint32_t>(oui[0]) << 16 | oui[1] << 8 | oui[2];
  }
  frame.ether_type = type;
  frame.payload = r.rest();
  return frame;
}

}  // namespace

Result<LinkFrame> DecodeLinkLayer(int link_type, Bytes bytes) {
  ByteReader r(bytes);
  LinkFrame frame;
  uint16_t type = 0;
  switch (link_type) {
    case kLinkTypeEthernet:
      if (!TakeMac(r, &frame.dst) || !TakeMac(r, &frame.src) || !r.U16(&type)) {
        return Truncated("Ethernet header");
      }
      return DecodeTypeAndPayload(r, frame, type);
    case kLinkTypeLinuxSll: {
      // packet type(2) ARPHRD(2) address length(2) address(8) protocol(2)
      uint16_t packet_type, hatype, halen;
      Bytes addr;
      if (!r.U16(&packet_type) || !r.U16(&hatype) || !r.U16(&halen) || !r.Take(8, &addr) ||
          !r.U16(&type)) {
        return Truncated("Linux cooked header");
      }
      if (halen == 6) std::copy(addr.begin(), addr.begin() + 6, frame.src.begin());
      if (type == 0x0004) return Unsupported("802.2 LLC in cooked capture");
      return DecodeTypeAndPayload(r, frame, type);
    }
    case kLinkTypeLinuxSll2: {
      // protocol(2) reserved(2) ifindex(4) ARPHRD(2) packet type(1) halen(1) address(8)
      uint16_t reserved, hatype;
      uint32_t ifindex;
      uint8_t packet_type, halen;
      Bytes addr;
      if (!r.U16(&type) || !r.U16(&reserved) || !r.U32(&ifindex) || !r.U16(&hatype) ||
          !r.U8(&packet_type) || !r.U8(&halen) || !r.Take(8, &addr)) {
        return Truncated("Linux cooked v2 header");
      }
      if (halen == 6) std::copy(addr.begin(), addr.begin() + 6, frame.src.begin());
      return DecodeTypeAndPayload(r, frame, type);
    }
    default:
      return Unsupported("link type " + std::to_string(link_type));
  }
}

std::string FormatMacBytes(const MacBytes& mac) {
  char buf[18];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
                mac[4], mac[5]);
  return buf;
}

std::string FormatIpv4(uint32_t a) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff,
                a & 0xff);
  return buf;
}

}  // namespace estate::plugins
