#include "plugins/arp/target_range.h"

#include <algorithm>

#include "estate/text.h"

namespace estate::plugins {

std::optional<uint32_t> ParseIpv4(std::string_view text) {
  std::vector<std::string_view> parts = Split(text, '.');
  if (parts.size() != 4) return std::nullopt;
  uint32_t address = 0;
  for (std::string_view p : parts) {
    if (p.empty() || p.size() > 3) return std::nullopt;
    auto v = ParseUint(p);
    if (!v || *v > 255) return std::nullopt;
    address = address << 8 | static_cast<uint32_t>(*v);
  }
  return address;
}

Result<std::vector<uint32_t>> ExpandTarget(std::string_view text) {
  const std::string shown(text);
  std::vector<uint32_t> out;
  if (auto slash = text.find('/'); slash != std::string_view::npos) {
    auto base = ParseIpv4(text.substr(0, slash));
    auto prefix = ParseUint(text.substr(slash + 1));
    if (!base || !prefix || *prefix > 32) {
      return Status::InvalidArgument("'" + shown + "' is not an IPv4 CIDR block");
    }
    if (*prefix < kMinPrefixLength) {
      return Status::InvalidArgument("'" + shown + "' is larger than a /16; split it");
    }
    const uint32_t mask = *prefix == 0 ? 0 : ~uint32_t{0} << (32 - *prefix);
    const uint64_t first = *base & mask;
    const uint64_t last = first + (~mask & 0xffffffffu);
    const bool has_edges = *prefix < 31;
    for (uint64_t a = first + (has_edges ? 1 : 0); a + (has_edges ? 1 : 0) <= last; ++a) {
      out.push_back(static_cast<uint32_t>(a));
    }
    return out;
  }
  if (auto dash = text.find('-'); dash != std::string_view::npos) {
    auto first = ParseIpv4(Trim(text.substr(0, dash)));
    auto last = ParseIpv4(Trim(text.substr(dash + 1)));
    if (!first || !last || *last < *first) {
      return Status::InvalidArgument("'" + shown + "' is not an IPv4 range FIRST-LAST");
    }
    if (*last - *first >= (1u << (32 - kMinPrefixLength))) {
      return Status::InvalidArgument("'" + shown + "' is larger than a /16; split it");
    }
    for (uint64_t a = *first; a <= *last; ++a) out.push_back(static_cast<uint32_t>(a));
    return out;
  }
  auto single = ParseIpv4(text);
  if (!single)
    return Status::InvalidArgument("'" + shown + "' is not an IPv4 address, CIDR or range");
  out.push_back(*single);
  return out;
}

Result<std::vector<uint32_t>> ExpandTargets(const std::vector<std::string>& texts) {
  std::vector<uint32_t> all;
  for (const std::string& t : texts) {
    auto one = ExpandTarget(t);
    if (!one.ok()) return one.status();
    all.insert(all.end(), one->begin(), one->end());
  }
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return all;
}

}  // namespace estate::plugins
