#include "plugins/passive/mdns_decoder.h"

#include "estate/text.h"
#include "plugins/passive/decode_result.h"

namespace estate::plugins {
namespace {

constexpr int kMaxPointers = 32;
constexpr size_t kMaxNameLength = 255;

// Reads a possibly compressed name at `pos` of `msg`; on success `pos` is
// just after the name as it appears in place.
Status ReadName(Bytes msg, size_t& pos, std::string* out) {
  std::string name;
  size_t p = pos;
  bool jumped = false;
  int pointers = 0;
  while (true) {
    if (p >= msg.size()) return Truncated("DNS name");
    const uint8_t len = msg[p];
    if ((len & 0xc0) == 0xc0) {
      if (p + 1 >= msg.size()) return Truncated("DNS name pointer");
      if (++pointers > kMaxPointers) return Malformed("DNS name compression loop");
      const size_t target = static_cast<size_t>(len & 0x3f) << 8 | msg[p + 1];
      if (!jumped) pos = p + 2;
      jumped = true;
      if (target >= msg.size()) return Malformed("DNS name pointer");
      p = target;
      continue;
    }
    if ((len & 0xc0) != 0) return Malformed("DNS label type");
    if (len == 0) {
      if (!jumped) pos = p + 1;
      break;
    }
    if (p + 1 + len > msg.size()) return Truncated("DNS label");
    if (!name.empty()) name += '.';
    name.append(reinterpret_cast<const char*>(&msg[p + 1]), len);
    if (name.size() > kMaxNameLength) return Malformed("DNS name length");
    p += 1 + len;
  }
  *out = SanitizeUtf8(name);
  return Status::Ok();
}

}  // namespace

Result<MdnsMessage> DecodeMdns(Bytes msg) {
  ByteReader header(msg);
  uint16_t id, flags, qd, an, ns, ar;
  if (!header.U16(&id) || !header.U16(&flags) || !header.U16(&qd) || !header.U16(&an) ||
      !header.U16(&ns) || !header.U16(&ar)) {
    return Truncated("DNS header");
  }
  MdnsMessage m;
  m.response = (flags & 0x8000) != 0;
  size_t pos = 12;
  for (int i = 0; i < qd; ++i) {
    std::string name;
    ESTATE_RETURN_IF_ERROR(ReadName(msg, pos, &name));
    if (pos + 4 > msg.size()) return Truncated("DNS question");
    pos += 4;
    m.questions.push_back(std::move(name));
  }
  const int records = an + ns + ar;
  for (int i = 0; i < records; ++i) {
    DnsRecord rec;
    ESTATE_RETURN_IF_ERROR(ReadName(msg, pos, &rec.name));
    ByteReader r(msg.subspan(std::min(pos, msg.size())));
    uint16_t klass, rdlength;
    Bytes rdata;
    if (!r.U16(&rec.type) || !r.U16(&klass) || !r.U32(&rec.ttl) || !r.U16(&rdlength) ||
        !r.Take(rdlength, &rdata)) {
      return Truncated("DNS resource record");
    }
    const size_t rdata_pos = pos + 10;
    pos += 10 + rdlength;
    if (rec.type == 1) {
      if (rdlength != 4) return Malformed("DNS A record length");
      ByteReader(rdata).U32(&rec.ipv4);
    } else if (rec.type == 12) {
      size_t p = rdata_pos;
      ESTATE_RETURN_IF_ERROR(ReadName(msg, p, &rec.target));
    } else if (rec.type == 33) {
      if (rdlength < 7) return Malformed("DNS SRV record length");
      size_t p = rdata_pos + 6;
      ESTATE_RETURN_IF_ERROR(ReadName(msg, p, &rec.target));
    }
    m.records.push_back(std::move(rec));
  }
  return m;
}

std::string MdnsHostnameFor(const MdnsMessage& m, uint32_t ipv4) {
  auto strip = [](std::string name) {
    constexpr std::string_view kLocal = ".local";
    if (name.size() > kLocal.size() &&
        ToLower(name.substr(name.size() - kLocal.size())) == kLocal) {
      name.resize(name.size() - kLocal.size());
    }
    return name;
  };
  for (const DnsRecord& r : m.records) {
    if (r.type == 1 && r.ipv4 == ipv4 && !r.name.empty()) return strip(r.name);
  }
  for (const DnsRecord& r : m.records) {
    if (r.type == 33 && !r.target.empty()) return strip(r.target);
  }
  return "";
}

}  // namespace estate::plugins
