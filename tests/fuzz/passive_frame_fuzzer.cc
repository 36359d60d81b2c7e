// What `estate-agent listen` does with every captured frame: link layer, then
// ARP, DHCP, mDNS, LLDP or CDP, then the station table. The first input byte
// picks the capture's link type, the rest is the frame.
#include <cstdint>
#include <vector>

#include "plugins/passive/frame_analyzer.h"
#include "plugins/passive/link_layer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static constexpr int kLinkTypes[] = {estate::plugins::kLinkTypeEthernet,
                                       estate::plugins::kLinkTypeLinuxSll,
                                       estate::plugins::kLinkTypeLinuxSll2};
  const int link_type = kLinkTypes[data[0] % 3];
  estate::plugins::FrameAnalyzer analyzer(nullptr, "fuzz0", /*max_remembered=*/4);
  std::vector<estate::v1::Observation> out;
  const estate::plugins::Bytes frame(data + 1, size - 1);
  // Twice: the second sighting goes through the "already reported" paths.
  analyzer.Analyze(link_type, 1'700'000'000, frame, &out);
  analyzer.Analyze(link_type, 1'700'000'060, frame, &out);
  return 0;
}
