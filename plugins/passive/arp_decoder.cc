#include "plugins/passive/arp_decoder.h"

#include "plugins/passive/decode_result.h"

namespace estate::plugins {

Result<ArpPacket> DecodeArp(Bytes payload) {
  ByteReader r(payload);
  uint16_t htype, ptype;
  uint8_t hlen, plen;
  ArpPacket arp;
  if (!r.U16(&htype) || !r.U16(&ptype) || !r.U8(&hlen) || !r.U8(&plen) || !r.U16(&arp.operation)) {
    return Truncated("ARP header");
  }
  if (htype != 1) return Unsupported("ARP hardware type " + std::to_string(htype));
  if (ptype != kEtherTypeIpv4) return Unsupported("ARP protocol type " + std::to_string(ptype));
  if (hlen != 6 || plen != 4) return Malformed("ARP address lengths");
  Bytes sha, tha;
  if (!r.Take(6, &sha) || !r.U32(&arp.sender_ip) || !r.Take(6, &tha) || !r.U32(&arp.target_ip)) {
    return Truncated("ARP addresses");
  }
  std::copy(sha.begin(), sha.end(), arp.sender_mac.begin());
  std::copy(tha.begin(), tha.end(), arp.target_mac.begin());
  return arp;
}

std::vector<uint8_t> BuildArpRequest(const MacBytes& sender_mac, uint32_t sender_ip,
                                     uint32_t target_ip) {
  std::vector<uint8_t> f;
  f.reserve(60);
  auto put16 = [&](uint16_t v) {
    f.push_back(static_cast<uint8_t>(v >> 8));
    f.push_back(static_cast<uint8_t>(v));
  };
  auto put32 = [&](uint32_t v) {
    put16(static_cast<uint16_t>(v >> 16));
    put16(static_cast<uint16_t>(v));
  };
  f.insert(f.end(), 6, 0xff);
  f.insert(f.end(), sender_mac.begin(), sender_mac.end());
  put16(kEtherTypeArp);
  put16(1);
  put16(kEtherTypeIpv4);
  f.push_back(6);
  f.push_back(4);
  put16(kArpRequest);
  f.insert(f.end(), sender_mac.begin(), sender_mac.end());
  put32(sender_ip);
  f.insert(f.end(), 6, 0x00);
  put32(target_ip);
  f.resize(60, 0);
  return f;
}

}  // namespace estate::plugins
