// LLDP (IEEE 802.1AB) and CDP (Cisco Discovery Protocol) announcements: what a
// switch, phone or access point says about itself. Pure.
#ifndef ESTATE_PLUGINS_PASSIVE_NEIGHBOR_DECODER_H_
#define ESTATE_PLUGINS_PASSIVE_NEIGHBOR_DECODER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "estate/status.h"
#include "plugins/passive/byte_reader.h"

namespace estate::plugins {

struct NeighborAnnouncement {
  std::string chassis_id;  // LLDP: MAC in colon form, an address, or text; CDP: device id
  std::string port_id;
  std::string system_name;               // LLDP system name; CDP device id
  std::string description;               // LLDP system description; CDP software version
  std::string platform;                  // CDP platform
  std::vector<uint32_t> ipv4_addresses;  // management / CDP addresses, host order
  uint32_t ttl = 0;
};

// The LLDPDU after the Ethernet header (EtherType 0x88cc).
Result<NeighborAnnouncement> DecodeLldp(Bytes payload);
// The CDP PDU after the SNAP header (OUI 00:00:0c, protocol 0x2000).
Result<NeighborAnnouncement> DecodeCdp(Bytes payload);

}  // namespace estate::plugins

#endif  // ESTATE_PLUGINS_PASSIVE_NEIGHBOR_DECODER_H_
