#include "agent/collectors/interface_address_source.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>

#include <bit>
#include <cerrno>

#include "estate/host_root.h"
#include "estate/text.h"

namespace estate::agent {
namespace {

uint32_t PrefixLength(const sockaddr* netmask) {
  if (netmask == nullptr) return 0;
  uint32_t bits = 0;
  if (netmask->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(netmask);
    bits = static_cast<uint32_t>(std::popcount(in->sin_addr.s_addr));
  } else if (netmask->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(netmask);
    for (uint8_t byte : in6->sin6_addr.s6_addr) bits += static_cast<uint32_t>(std::popcount(byte));
  }
  return bits;
}

class LiveAddressSource : public InterfaceAddressSource {
 public:
  Result<std::vector<InterfaceAddressEntry>> List() const override {
    struct ifaddrs* list = nullptr;
    if (::getifaddrs(&list) != 0) return Status::FromErrno("getifaddrs", errno);
    std::vector<InterfaceAddressEntry> out;
    for (struct ifaddrs* it = list; it != nullptr; it = it->ifa_next) {
      if (it->ifa_addr == nullptr) continue;
      const int family = it->ifa_addr->sa_family;
      if (family != AF_INET && family != AF_INET6) continue;
      char text[INET6_ADDRSTRLEN] = {};
      const void* raw = family == AF_INET
                            ? static_cast<const void*>(
                                  &reinterpret_cast<const sockaddr_in*>(it->ifa_addr)->sin_addr)
                            : static_cast<const void*>(
                                  &reinterpret_cast<const sockaddr_in6*>(it->ifa_addr)->sin6_addr);
      if (::inet_ntop(family, raw, text, sizeof text) == nullptr) continue;
      InterfaceAddressEntry entry;
      entry.interface = it->ifa_name;
      entry.address.set_address(text);
      entry.address.set_family(family == AF_INET ? "ipv4" : "ipv6");
      entry.address.set_prefix_length(PrefixLength(it->ifa_netmask));
      entry.address.set_scope(AddressScope(entry.address.family(), text));
      out.push_back(std::move(entry));
    }
    ::freeifaddrs(list);
    return out;
  }
};

class FileAddressSource : public InterfaceAddressSource {
 public:
  explicit FileAddressSource(std::string path) : path_(std::move(path)) {}

  Result<std::vector<InterfaceAddressEntry>> List() const override {
    auto text = HostRoot("/").ReadFile(path_, 4 << 20);
    if (!text.ok()) return text.status();
    return ParseIpAddrOutput(*text);
  }

 private:
  std::string path_;
};

}  // namespace

std::vector<InterfaceAddressEntry> ParseIpAddrOutput(std::string_view text) {
  std::vector<InterfaceAddressEntry> out;
  for (std::string_view line : Split(text, '\n')) {
    std::vector<std::string_view> words;
    for (std::string_view word : Split(line, ' ')) {
      word = Trim(word);
      if (!word.empty() && word != "\\") words.push_back(word);
    }
    // "4: eth0    inet 192.0.2.2/24 brd ... scope global eth0"
    if (words.size() < 4) continue;
    std::string_view family = words[2];
    if (family != "inet" && family != "inet6") continue;
    std::string_view name = words[1];
    size_t at = name.find('@');
    if (at != std::string_view::npos) name = name.substr(0, at);
    std::string_view cidr = words[3];
    size_t slash = cidr.find('/');
    InterfaceAddressEntry entry;
    entry.interface = std::string(name);
    entry.address.set_address(std::string(cidr.substr(0, slash)));
    if (slash != std::string_view::npos) {
      entry.address.set_prefix_length(
          static_cast<uint32_t>(ParseUint(cidr.substr(slash + 1)).value_or(0)));
    }
    entry.address.set_family(family == "inet" ? "ipv4" : "ipv6");
    entry.address.set_scope(AddressScope(entry.address.family(), entry.address.address()));
    out.push_back(std::move(entry));
  }
  return out;
}

std::string AddressScope(std::string_view family, std::string_view address) {
  if (family == "ipv4") {
    if (StartsWith(address, "127.")) return "host";
    if (StartsWith(address, "169.254.")) return "link";
    return "global";
  }
  if (address == "::1") return "host";
  std::string lower = ToLower(address);
  if (StartsWith(lower, "fe8") || StartsWith(lower, "fe9") || StartsWith(lower, "fea") ||
      StartsWith(lower, "feb")) {
    return "link";
  }
  return "global";
}

std::unique_ptr<InterfaceAddressSource> MakeLiveAddressSource() {
  return std::make_unique<LiveAddressSource>();
}

std::unique_ptr<InterfaceAddressSource> MakeFileAddressSource(std::string path) {
  return std::make_unique<FileAddressSource>(std::move(path));
}

}  // namespace estate::agent
