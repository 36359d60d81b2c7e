// DHCP (RFC 2131/2132) messages: the client's hardware address and the options
// that identify a device (12 host name, 60 vendor class, 55 parameter request
// list as a fingerprint, 61 client identifier, 50 requested address). Pure.
#ifndef ESTATE_PLUGINS_PASSIVE_DHCP_DECODER_H_
#define ESTATE_PLUGINS_PASSIVE_DHCP_DECODER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "estate/status.h"
#include "plugins/passive/byte_reader.h"
#include "plugins/passive/link_layer.h"

namespace estate::plugins {

struct DhcpMessage {
  uint8_t op = 0;                      // 1 request (client), 2 reply (server)
  uint8_t message_type = 0;            // option 53, 0 for plain BOOTP
  std::optional<MacBytes> client_mac;  // chaddr when htype is Ethernet
  uint32_t ciaddr = 0;
  uint32_t yiaddr = 0;
  uint32_t requested_ip = 0;             // option 50
  std::string hostname;                  // option 12
  std::string vendor_class;              // option 60
  std::vector<uint32_t> parameter_list;  // option 55
  std::string client_id;                 // option 61, lower-case hex
  // False when the magic cookie was wrong: the options were not decoded.
  bool options_valid = false;
  // Set when the options area ended inside an option; what came before is kept.
  bool options_truncated = false;
};

Result<DhcpMessage> DecodeDhcp(Bytes payload);

}  // namespace estate::plugins

#endif  // ESTATE_PLUGINS_PASSIVE_DHCP_DECODER_H_
