#include "plugins/passive/neighbor_decoder.h"

#include "estate/text.h"
#include "plugins/passive/decode_result.h"
#include "plugins/passive/link_layer.h"

namespace estate::plugins {
namespace {

std::string Text(Bytes b) {
  std::string s(b.begin(), b.end());
  while (!s.empty() && (s.back() == '\0' || s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return SanitizeUtf8(s);
}

// LLDP chassis and port ids: subtype byte, then a MAC (subtype 3 for ports,
// 4 for chassis), a network address (5 / 4) or text.
std::string LldpId(Bytes value, uint8_t mac_subtype, uint8_t address_subtype) {
  if (value.empty()) return "";
  const uint8_t subtype = value[0];
  Bytes id = value.subspan(1);
  if (subtype == mac_subtype && id.size() == 6) {
    MacBytes mac;
    std::copy(id.begin(), id.end(), mac.begin());
    return FormatMacBytes(mac);
  }
  if (subtype == address_subtype && id.size() == 5 && id[0] == 1) {
    uint32_t a;
    ByteReader(id.subspan(1)).U32(&a);
    return FormatIpv4(a);
  }
  return Text(id);
}

// CDP address list: count, then (protocol type, length, protocol, address length, address).
Status ReadCdpAddresses(Bytes value, std::vector<uint32_t>* out) {
  ByteReader r(value);
  uint32_t count;
  if (!r.U32(&count)) return Truncated("CDP address count");
  for (uint32_t i = 0; i < count; ++i) {
    uint8_t ptype, plen;
    Bytes proto, addr;
    uint16_t alen;
    if (!r.U8(&ptype) || !r.U8(&plen) || !r.Take(plen, &proto) || !r.U16(&alen) ||
        !r.Take(alen, &addr)) {
      return Truncated("CDP address");
    }
    if (ptype == 1 && plen == 1 && proto[0] == 0xcc && alen == 4) {  // NLPID IP
      uint32_t a;
      ByteReader(addr).U32(&a);
      out->push_back(a);
    }
  }
  return Status::Ok();
}

}  // namespace

Result<NeighborAnnouncement> DecodeLldp(Bytes payload) {
  ByteReader r(payload);
  NeighborAnnouncement n;
  bool ended = false;
  for (int index = 0; r.remaining() > 0; ++index) {
    uint16_t header;
    if (!r.U16(&header)) return Truncated("LLDP TLV header");
    const uint8_t type = header >> 9;
    const uint16_t length = header & 0x01ff;
    Bytes value;
    if (!r.Take(length, &value)) return Truncated("LLDP TLV");
    // The first three TLVs are mandatory and in this order (802.1AB 8.2).
    if (index < 3 && type != index + 1) return Malformed("LLDP mandatory TLV order");
    if (type == 0) {
      ended = true;
      break;
    }
    switch (type) {
      case 1:
        n.chassis_id = LldpId(value, 4, 5);
        break;
      case 2:
        n.port_id = LldpId(value, 3, 4);
        break;
      case 3:
        if (length != 2) return Malformed("LLDP TTL");
        n.ttl = static_cast<uint32_t>(value[0] << 8 | value[1]);
        break;
      case 5:
        n.system_name = Text(value);
        break;
      case 6:
        n.description = Text(value);
        break;
      case 8: {
        ByteReader m(value);
        uint8_t addr_len, subtype;
        if (!m.U8(&addr_len) || addr_len < 1 || !m.U8(&subtype)) {
          return Malformed("LLDP management address");
        }
        Bytes addr;
        if (!m.Take(addr_len - 1u, &addr)) return Malformed("LLDP management address length");
        if (subtype == 1 && addr.size() == 4) {
          uint32_t a;
          ByteReader(addr).U32(&a);
          n.ipv4_addresses.push_back(a);
        }
        break;
      }
      default:
        break;
    }
  }
  if (n.chassis_id.empty() && !ended) return Truncated("LLDPDU");
  return n;
}

Result<NeighborAnnouncement> DecodeCdp(Bytes payload) {
  ByteReader r(payload);
  uint8_t version, ttl;
  uint16_t checksum;
  if (!r.U8(&version) || !r.U8(&ttl) || !r.U16(&checksum)) return Truncated("CDP header");
  if (version != 1 && version != 2) return Malformed("CDP version");
  NeighborAnnouncement n;
  n.ttl = ttl;
  while (r.remaining() > 0) {
    uint16_t type, length;
    if (!r.U16(&type) || !r.U16(&length)) return Truncated("CDP TLV header");
    if (length < 4) return Malformed("CDP TLV length");
    Bytes value;
    if (!r.Take(length - 4u, &value)) return Truncated("CDP TLV");
    switch (type) {
      case 0x0001:
        n.chassis_id = n.system_name = Text(value);
        break;
      case 0x0002:
      case 0x0016:
        ESTATE_RETURN_IF_ERROR(ReadCdpAddresses(value, &n.ipv4_addresses));
        break;
      case 0x0003:
        n.port_id = Text(value);
        break;
      case 0x0005:
        n.description = Text(value);
        break;
      case 0x0006:
        n.platform = Text(value);
        break;
      default:
        break;
    }
  }
  return n;
}

}  // namespace estate::plugins
