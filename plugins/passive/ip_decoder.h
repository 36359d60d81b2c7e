// IPv4 and UDP headers, enough to reach DHCP and mDNS payloads. Pure.
#ifndef ESTATE_PLUGINS_PASSIVE_IP_DECODER_H_
#define ESTATE_PLUGINS_PASSIVE_IP_DECODER_H_

#include <cstdint>

#include "estate/status.h"
#include "plugins/passive/byte_reader.h"

namespace estate::plugins {

struct UdpDatagram {
  uint32_t src_ip = 0;  // host order
  uint32_t dst_ip = 0;
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  Bytes payload;  // clipped to what was captured and to the UDP length
};

// Unsupported for non-UDP protocols and for fragments after the first.
Result<UdpDatagram> DecodeIpv4Udp(Bytes packet);

}  // namespace estate::plugins

#endif  // ESTATE_PLUGINS_PASSIVE_IP_DECODER_H_
