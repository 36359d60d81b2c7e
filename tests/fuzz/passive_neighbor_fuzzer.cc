// The LLDP and CDP decoders (neighbour announcements from switches and phones).
// The first input byte picks the protocol, the rest is the PDU after the
// Ethernet (LLDP) or SNAP (CDP) header.
#include <cstdint>

#include "plugins/passive/neighbor_decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const estate::plugins::Bytes pdu(data + 1, size - 1);
  if (data[0] & 1) {
    (void)estate::plugins::DecodeCdp(pdu);
  } else {
    (void)estate::plugins::DecodeLldp(pdu);
  }
  return 0;
}
