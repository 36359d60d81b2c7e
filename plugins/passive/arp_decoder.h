// ARP for IPv4 over Ethernet (RFC 826): decoding the packet after the link
// layer, and building the request frames an active sweep sends. Pure.
#ifndef ESTATE_PLUGINS_PASSIVE_ARP_DECODER_H_
#define ESTATE_PLUGINS_PASSIVE_ARP_DECODER_H_

#include <cstdint>
#include <vector>

#include "estate/status.h"
#include "plugins/passive/link_layer.h"

namespace estate::plugins {

inline constexpr uint16_t kArpRequest = 1;
inline constexpr uint16_t kArpReply = 2;

struct ArpPacket {
  uint16_t operation = 0;
  MacBytes sender_mac{};
  uint32_t sender_ip = 0;  // host order
  MacBytes target_mac{};
  uint32_t target_ip = 0;
};

// Only Ethernet/IPv4 ARP is decoded; other hardware or protocol types are
// Unsupported, inconsistent address lengths Malformed.
Result<ArpPacket> DecodeArp(Bytes payload);

// A complete Ethernet frame (padded to the 60-byte minimum) broadcasting
// "who has target_ip, tell sender_ip".
std::vector<uint8_t> BuildArpRequest(const MacBytes& sender_mac, uint32_t sender_ip,
                                     uint32_t target_ip);

}  // namespace estate::plugins

#endif  // ESTATE_PLUGINS_PASSIVE_ARP_DECODER_H_
