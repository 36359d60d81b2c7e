#include "collector/admin/location_map.h"

#include <algorithm>

#include "estate/text.h"

namespace estate::collector {
namespace {

constexpr std::string_view kSwitchPart = std::string_view("location\0switch\0", 16);
constexpr std::string_view kSubnetPart = std::string_view("location\0subnet\0", 16);

template <typename View>
Result<std::vector<LocationMapping>> ReadEntries(View& view) {
  std::vector<LocationMapping> entries;
  Status bad;
  ESTATE_RETURN_IF_ERROR(view.Scan(Table::kSettings, LocationMapPrefix(),
                                   [&](std::string_view key, std::string_view value) {
                                     LocationMapping m;
                                     m.path = std::string(value);
                                     if (StartsWith(key, kSwitchPart)) {
                                       key.remove_prefix(kSwitchPart.size());
                                       const size_t nul = key.find('\0');
                                       if (nul == std::string_view::npos) {
                                         bad = Status::Corruption("malformed location map key");
                                         return false;
                                       }
                                       m.switch_name = std::string(key.substr(0, nul));
                                       m.port = std::string(key.substr(nul + 1));
                                     } else if (StartsWith(key, kSubnetPart)) {
                                       m.subnet = std::string(key.substr(kSubnetPart.size()));
                                     } else {
                                       bad = Status::Corruption("malformed location map key");
                                       return false;
                                     }
                                     entries.push_back(std::move(m));
                                     return true;
                                   }));
  ESTATE_RETURN_IF_ERROR(bad);
  return entries;
}

}  // namespace

std::string LocationSwitchKey(std::string_view switch_name, std::string_view port) {
  std::string key(kSwitchPart);
  key += ToLower(switch_name);
  key += '\0';
  key += ToLower(port);
  return key;
}

std::string LocationSubnetKey(std::string_view cidr) {
  return std::string(kSubnetPart) + ToLower(cidr);
}

std::string LocationMapPrefix() { return std::string("location\0", 9); }

Result<LocationMap> LocationMap::Load(Store& store) {
  auto entries = ReadEntries(store);
  if (!entries.ok()) return entries.status();
  return FromEntries(std::move(*entries));
}

Result<LocationMap> LocationMap::Load(WriteBatch& batch) {
  auto entries = ReadEntries(batch);
  if (!entries.ok()) return entries.status();
  return FromEntries(std::move(*entries));
}

Result<LocationMap> LocationMap::FromEntries(std::vector<LocationMapping> entries) {
  LocationMap map;
  map.entries_ = std::move(entries);
  for (size_t i = 0; i < map.entries_.size(); ++i) {
    const auto& m = map.entries_[i];
    if (m.subnet.empty()) {
      map.by_port_[{ToLower(m.switch_name), ToLower(m.port)}] = i;
    } else {
      auto subnet = Subnet::Parse(m.subnet);
      if (!subnet.ok()) return Status::Corruption("location map: " + subnet.status().message());
      map.subnets_.emplace_back(*subnet, i);
    }
  }
  std::stable_sort(map.subnets_.begin(), map.subnets_.end(), [](const auto& a, const auto& b) {
    return a.first.prefix_length() > b.first.prefix_length();
  });
  return map;
}

std::optional<InferredLocation> LocationMap::Infer(const v1::Asset& asset) const {
  const auto& seen = asset.location();
  if (!seen.switch_name().empty()) {
    const std::string sw = ToLower(seen.switch_name());
    auto it = by_port_.find({sw, ToLower(seen.port())});
    if (it != by_port_.end()) {
      return InferredLocation{entries_[it->second].path,
                              "switch " + seen.switch_name() + " port " + seen.port()};
    }
    it = by_port_.find({sw, ""});
    if (it != by_port_.end()) {
      return InferredLocation{entries_[it->second].path, "switch " + seen.switch_name()};
    }
  }
  for (const auto& [subnet, index] : subnets_) {
    const std::string* hit = nullptr;
    if (!seen.ip().empty() && subnet.Contains(seen.ip())) hit = &seen.ip();
    for (const auto& ip : asset.ips()) {
      if (hit == nullptr && subnet.Contains(ip)) hit = &ip;
    }
    if (hit != nullptr) {
      return InferredLocation{entries_[index].path,
                              "subnet " + entries_[index].subnet + " (" + *hit + ")"};
    }
  }
  return std::nullopt;
}

std::string RecordedLocation(const v1::Asset& asset) {
  auto it = asset.attributes().find("location");
  return it == asset.attributes().end() ? "" : it->second;
}

}  // namespace estate::collector
