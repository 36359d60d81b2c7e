// mDNS (RFC 6762) responses: which host names and services a device announces.
// A DNS message decoder with compression-loop protection. Pure.
#ifndef ESTATE_PLUGINS_PASSIVE_MDNS_DECODER_H_
#define ESTATE_PLUGINS_PASSIVE_MDNS_DECODER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "estate/status.h"
#include "plugins/passive/byte_reader.h"

namespace estate::plugins {

struct DnsRecord {
  std::string name;   // without the trailing dot
  uint16_t type = 0;  // 1 A, 12 PTR, 28 AAAA, 33 SRV
  uint32_t ttl = 0;
  uint32_t ipv4 = 0;   // A
  std::string target;  // PTR domain name or SRV target
};

struct MdnsMessage {
  bool response = false;
  std::vector<std::string> questions;
  std::vector<DnsRecord> records;  // answers, authority and additional, in order
};

Result<MdnsMessage> DecodeMdns(Bytes payload);

// The host name a record set announces for `ipv4` (an A record's owner name
// without ".local"), or the SRV target when no A record matches; "" if none.
std::string MdnsHostnameFor(const MdnsMessage& message, uint32_t ipv4);

}  // namespace estate::plugins

#endif  // ESTATE_PLUGINS_PASSIVE_MDNS_DECODER_H_
