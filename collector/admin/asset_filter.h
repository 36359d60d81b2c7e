// The filters `estatectl assets`, `estatectl report` and audit scopes share:
// class, state, OS, vendor, subnet, owner, holder, department, asset tag,
// location (a path prefix of the recorded location), where the network saw
// it (the location map), a recorded location the network disagrees with,
// host name, last seen, managed/shadow, security gaps, and installed
// software (which needs the asset's facts).
#ifndef ESTATE_COLLECTOR_ADMIN_ASSET_FILTER_H_
#define ESTATE_COLLECTOR_ADMIN_ASSET_FILTER_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "collector/admin/command_spec.h"
#include "collector/reconcile/software_catalogue.h"
#include "collector/store/store.h"
#include "estate/status.h"
#include "estate/v1/admin.pb.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

class LocationMap;

// An IPv4 or IPv6 prefix.
class Subnet {
 public:
  static Result<Subnet> Parse(const std::string& cidr);
  bool Contains(const std::string& ip) const;
  int prefix_length() const { return prefix_; }

 private:
  int family_ = 0;
  std::array<unsigned char, 16> bytes_{};
  int prefix_ = 0;
};

// The filter options, as declared in the tables of the commands that take
// them; `except` leaves out names a command uses otherwise (approve device
// --class sets the class).
// The lifecycle states, for the tables' --state choices.
std::vector<std::string> LifecycleStateChoices();

std::vector<OptionSpec> AssetFilterOptions(const std::vector<std::string>& except = {});

class AssetFilter {
 public:
  // `except`: option names the command uses otherwise (approve device --class).
  // --owner and --holder name a person: `store`'s people records give every
  // spelling of them (name, full name, email).
  static Result<AssetFilter> FromRequest(Store& store, const v1::AdminRequest& request,
                                         int64_t now_s,
                                         const std::vector<std::string>& except = {});

  // Everything but software, from the record alone.
  bool Matches(const v1::Asset& asset) const;
  bool NeedsFacts() const { return !software_name_.empty(); }
  // Whether any filter was given (bulk changes refuse to run on everything by default).
  bool Empty() const { return empty_; }
  // Whether one of the asset's agents reports the software (reads its package sets).
  Result<bool> HasSoftware(Store& store, const SoftwareCatalogue& catalogue,
                           const std::string& asset_id) const;

 private:
  bool empty_ = true;
  std::string class_, state_, os_, vendor_, department_, tag_, location_, hostname_;
  std::string seen_in_;  // a path prefix of the location the map infers
  bool location_mismatch_ = false;
  // Loaded only when --seen-in or --location-mismatch asks for it.
  std::shared_ptr<const LocationMap> location_map_;
  // Lower-case spellings of the person --owner / --holder names; empty: no filter.
  std::vector<std::string> owner_, holder_;
  std::optional<Subnet> subnet_;
  int64_t seen_after_ = 0;   // last_seen >= this
  int64_t seen_before_ = 0;  // last_seen < this (stale)
  std::optional<bool> managed_;
  std::string software_name_, software_version_;
  std::string lacking_;  // a security gap name
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_ASSET_FILTER_H_
