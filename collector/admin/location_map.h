// The admin-maintained table that turns where the network saw a device into
// a location: a switch port (or a whole switch) to a room, a subnet to a
// site. Kept in the settings table ("location\0switch\0<switch>\0<port>",
// "location\0subnet\0<cidr>" -> path). A loaded map is immutable and
// thread-safe to read.
#ifndef ESTATE_COLLECTOR_ADMIN_LOCATION_MAP_H_
#define ESTATE_COLLECTOR_ADMIN_LOCATION_MAP_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "collector/admin/asset_filter.h"
#include "collector/store/store.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

struct LocationMapping {
  std::string switch_name;  // as the admin typed it; empty for a subnet
  std::string port;         // empty: the whole switch
  std::string subnet;       // CIDR; empty for a switch
  std::string path;
};

// Where the network places an asset and why ("switch sw1 port Gi1/0/3").
struct InferredLocation {
  std::string path;
  std::string basis;
};

std::string LocationSwitchKey(std::string_view switch_name, std::string_view port);
std::string LocationSubnetKey(std::string_view cidr);
std::string LocationMapPrefix();

class LocationMap {
 public:
  static Result<LocationMap> Load(Store& store);
  static Result<LocationMap> Load(WriteBatch& batch);

  // The most specific mapping that places `asset`: its switch and port, then
  // its switch, then the longest subnet holding one of its addresses.
  std::optional<InferredLocation> Infer(const v1::Asset& asset) const;
  const std::vector<LocationMapping>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }

 private:
  static Result<LocationMap> FromEntries(std::vector<LocationMapping> entries);
  std::vector<LocationMapping> entries_;
  // Lower-case (switch, port) -> entry index; port "" for a whole switch.
  std::map<std::pair<std::string, std::string>, size_t> by_port_;
  // Longest prefix first.
  std::vector<std::pair<Subnet, size_t>> subnets_;
};

// Where the register says the asset is: its `location` attribute.
std::string RecordedLocation(const v1::Asset& asset);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_LOCATION_MAP_H_
