// The ARP decoder on the payload after the link layer (EtherType 0x0806).
#include <cstdint>

#include "plugins/passive/arp_decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto arp = estate::plugins::DecodeArp(estate::plugins::Bytes(data, size));
  if (arp.ok()) {
    (void)estate::plugins::FormatMacBytes(arp->sender_mac);
    (void)estate::plugins::FormatIpv4(arp->sender_ip);
  }
  return 0;
}
