// Target lists for active scans: IPv4 addresses, CIDR blocks and ranges as
// the user typed them. Nothing is ever scanned that was not named here.
// Pure.
#ifndef ESTATE_PLUGINS_ARP_TARGET_RANGE_H_
#define ESTATE_PLUGINS_ARP_TARGET_RANGE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "estate/status.h"

namespace estate::plugins {

// The largest block one argument may name: a /16.
inline constexpr int kMinPrefixLength = 16;

// Parses "a.b.c.d" into a host-order address.
std::optional<uint32_t> ParseIpv4(std::string_view text);

// Expands one target: "192.0.2.7", "192.0.2.0/24" (network and broadcast
// addresses left out for prefixes shorter than /31) or "192.0.2.10-192.0.2.20".
// InvalidArgument for anything else and for blocks larger than a /16.
Result<std::vector<uint32_t>> ExpandTarget(std::string_view text);

// Expands all targets into a sorted list without duplicates.
Result<std::vector<uint32_t>> ExpandTargets(const std::vector<std::string>& texts);

}  // namespace estate::plugins

#endif  // ESTATE_PLUGINS_ARP_TARGET_RANGE_H_
