// The DHCP/BOOTP decoder on a UDP payload (ports 67/68).
#include <cstdint>

#include "plugins/passive/dhcp_decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto dhcp = estate::plugins::DecodeDhcp(estate::plugins::Bytes(data, size));
  if (dhcp.ok() && dhcp->client_mac) (void)estate::plugins::FormatMacBytes(*dhcp->client_mac);
  return 0;
}
