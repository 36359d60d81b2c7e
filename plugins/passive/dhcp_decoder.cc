#include "plugins/passive/dhcp_decoder.h"

#include "estate/text.h"
#include "plugins/passive/decode_result.h"

namespace estate::plugins {
namespace {

std::string Text(Bytes b) {
  std::string s(b.begin(), b.end());
  while (!s.empty() && s.back() == '\0') s.pop_back();  // some clients count the NUL
  return SanitizeUtf8(s);
}

std::string Hex(Bytes b) {
  static const char kDigits[] = "0123456789abcdef";
  std::string s;
  for (uint8_t c : b) {
    s += kDigits[c >> 4];
    s += kDigits[c & 0x0f];
  }
  return s;
}

}  // namespace

Result<DhcpMessage> DecodeDhcp(Bytes payload) {
  ByteReader r(payload);
  DhcpMessage m;
  uint8_t htype, hlen, hops;
  uint32_t xid, siaddr, giaddr;
  uint16_t secs, flags;
  Bytes chaddr;
  if (!r.U8(&m.op) || !r.U8(&htype) || !r.U8(&hlen) || !r.U8(&hops) || !r.U32(&xid) ||
      !r.U16(&secs) || !r.U16(&flags) || !r.U32(&m.ciaddr) || !r.U32(&m.yiaddr) ||
      !r.U32(&siaddr) || !r.U32(&giaddr) || !r.Take(16, &chaddr) || !r.Skip(64 + 128)) {
    return Truncated("BOOTP header");
  }
  if (m.op != 1 && m.op != 2) return Malformed("BOOTP op");
  if (htype == 1 && hlen == 6) {
    MacBytes mac;
    std::copy(chaddr.begin(), chaddr.begin() + 6, mac.begin());
    m.client_mac = mac;
  }
  uint32_t cookie;
  if (!r.U32(&cookie)) return m;       // plain BOOTP without vendor area
  if (cookie != 0x63825363) return m;  // options of a bad cookie are not trusted
  m.options_valid = true;
  while (r.remaining() > 0) {
    uint8_t code, len;
    if (!r.U8(&code)) break;
    if (code == 0) continue;  // pad
    if (code == 255) break;   // end
    Bytes value;
    if (!r.U8(&len) || !r.Take(len, &value)) {
      m.options_truncated = true;
      break;
    }
    switch (code) {
      case 12:
        m.hostname = Text(value);
        break;
      case 50: {
        ByteReader v(value);
        if (len != 4 || !v.U32(&m.requested_ip)) m.requested_ip = 0;
        break;
      }
      case 53:
        if (len >= 1) m.message_type = value[0];
        break;
      case 55:
        m.parameter_list.assign(value.begin(), value.end());
        break;
      case 60:
        m.vendor_class = Text(value);
        break;
      case 61:
        m.client_id = Hex(value);
        break;
      default:
        break;
    }
  }
  return m;
}

}  // namespace estate::plugins
