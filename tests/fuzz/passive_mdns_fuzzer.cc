// The mDNS decoder on a UDP payload (port 5353): names, compression pointers,
// records; then the host-name lookup the analyzer does on the result.
#include <cstdint>

#include "plugins/passive/mdns_decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto mdns = estate::plugins::DecodeMdns(estate::plugins::Bytes(data, size));
  if (mdns.ok()) (void)estate::plugins::MdnsHostnameFor(*mdns, 0xc0a80002);  // 192.168.0.2
  return 0;
}
