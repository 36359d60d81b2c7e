// Link-layer decoding: Ethernet II, IEEE 802.3 + LLC/SNAP, 802.1Q / 802.1ad
// tags, and Linux cooked captures (SLL and SLL2). Pure functions over bytes.
#ifndef ESTATE_PLUGINS_PASSIVE_LINK_LAYER_H_
#define ESTATE_PLUGINS_PASSIVE_LINK_LAYER_H_

#include <array>
#include <cstdint>
#include <string>

#include "estate/status.h"
#include "plugins/passive/byte_reader.h"

namespace estate::plugins {

// pcap link types (DLT_* / LINKTYPE_*) this decoder understands.
inline constexpr int kLinkTypeEthernet = 1;
inline constexpr int kLinkTypeLinuxSll = 113;
inline constexpr int kLinkTypeLinuxSll2 = 276;

inline constexpr uint16_t kEtherTypeIpv4 = 0x0800;
inline constexpr uint16_t kEtherTypeArp = 0x0806;
inline constexpr uint16_t kEtherTypeVlan = 0x8100;
inline constexpr uint16_t kEtherTypeQinQ = 0x88a8;
inline constexpr uint16_t kEtherTypeLldp = 0x88cc;

using MacBytes = std::array<uint8_t, 6>;

struct LinkFrame {
  MacBytes src{};
  MacBytes dst{};     // all zero for cooked captures, which do not record it
  uint16_t vlan = 0;  // innermost 802.1Q VLAN id, 0 when untagged
  // The EtherType of the payload. For 802.3 frames with an LLC/SNAP header,
  // the SNAP protocol id (CDP is 0x2000 under Cisco's OUI 00:00:0c).
  uint16_t ether_type = 0;
  bool snap = false;      // payload came from an LLC/SNAP header
  uint32_t snap_oui = 0;  // its OUI when `snap`
  Bytes payload;
};

// Decodes one captured frame of link type `link_type`.
Result<LinkFrame> DecodeLinkLayer(int link_type, Bytes frame);

std::string FormatMacBytes(const MacBytes& mac);
// Dotted-quad form of a big-endian IPv4 address.
std::string FormatIpv4(uint32_t address);

}  // namespace estate::plugins

#endif  // ESTATE_PLUGINS_PASSIVE_LINK_LAYER_H_
