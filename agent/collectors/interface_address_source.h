// InterfaceAddressSource: the IP addresses configured on network interfaces.
// Addresses have no file under /proc or /sys (IPv4 none at all), so the live
// system asks the kernel (getifaddrs, i.e. netlink) and tests read a captured
// `ip -o addr show` listing instead.
//
// Implementations are immutable after construction and thread-safe.
#ifndef ESTATE_AGENT_COLLECTORS_INTERFACE_ADDRESS_SOURCE_H_
#define ESTATE_AGENT_COLLECTORS_INTERFACE_ADDRESS_SOURCE_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "estate/status.h"
#include "estate/v1/facts.pb.h"

namespace estate::agent {

struct InterfaceAddressEntry {
  std::string interface;
  v1::InterfaceAddress address;
};

class InterfaceAddressSource {
 public:
  virtual ~InterfaceAddressSource() = default;
  virtual Result<std::vector<InterfaceAddressEntry>> List() const = 0;
};

// The running kernel's addresses (getifaddrs).
std::unique_ptr<InterfaceAddressSource> MakeLiveAddressSource();
// Addresses from a file holding `ip -o addr show` output.
std::unique_ptr<InterfaceAddressSource> MakeFileAddressSource(std::string path);

// Parses `ip -o addr show` output; lines that are not inet/inet6 are skipped.
std::vector<InterfaceAddressEntry> ParseIpAddrOutput(std::string_view text);
// "host" for loopback, "link" for link-local, else "global".
std::string AddressScope(std::string_view family, std::string_view address);

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COLLECTORS_INTERFACE_ADDRESS_SOURCE_H_
