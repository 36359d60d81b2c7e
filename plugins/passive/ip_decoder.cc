#include "plugins/passive/ip_decoder.h"

#include <algorithm>

#include "plugins/passive/decode_result.h"

namespace estate::plugins {

Result<UdpDatagram> DecodeIpv4Udp(Bytes packet) {
  ByteReader r(packet);
  uint8_t version_ihl, tos, ttl, protocol;
  uint16_t total_length, id, fragment, checksum;
  UdpDatagram d;
  if (!r.U8(&version_ihl) || !r.U8(&tos) || !r.U16(&total_length) || !r.U16(&id) ||
      !r.U16(&fragment) || !r.U8(&ttl) || !r.U8(&protocol) || !r.U16(&checksum) ||
      !r.U32(&d.src_ip) || !r.U32(&d.dst_ip)) {
    return Truncated("IPv4 header");
  }
  if (version_ihl >> 4 != 4) return Malformed("IPv4 version");
  const size_t header_len = (version_ihl & 0x0f) * 4u;
  if (header_len < 20 || total_length < header_len) return Malformed("IPv4 header length");
  if (!r.Skip(header_len - 20)) return Truncated("IPv4 options");
  if (protocol != 17) return Unsupported("IP protocol " + std::to_string(protocol));
  if ((fragment & 0x1fff) != 0) return Unsupported("IPv4 fragment");
  uint16_t udp_length, udp_checksum;
  if (!r.U16(&d.src_port) || !r.U16(&d.dst_port) || !r.U16(&udp_length) || !r.U16(&udp_checksum)) {
    return Truncated("UDP header");
  }
  if (udp_length < 8) return Malformed("UDP length");
  Bytes rest = r.rest();
  d.payload = rest.first(std::min<size_t>(rest.size(), udp_length - 8u));
  return d;
}

}  // namespace estate::plugins
