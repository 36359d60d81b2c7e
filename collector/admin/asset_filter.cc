#include "collector/admin/asset_filter.h"

#include <arpa/inet.h>

#include <algorithm>

#include "collector/admin/admin_args.h"
#include "collector/admin/location_map.h"
#include "collector/admin/location_path.h"
#include "collector/admin/people.h"
#include "collector/reconcile/asset_summary.h"
#include "collector/reconcile/lifecycle.h"
#include "collector/store/keys.h"
#include "collector/store/software_set.h"
#include "estate/text.h"
#include "estate/v1/facts.pb.h"

namespace estate::collector {
namespace {

bool ContainsText(const std::string& haystack, const std::string& needle_lower) {
  return needle_lower.empty() || ToLower(haystack).find(needle_lower) != std::string::npos;
}

// Whether `value` is one of a person's lower-case spellings, in any case.
bool IsOneOf(const std::string& value, const std::vector<std::string>& spellings) {
  const std::string lower = ToLower(Trim(value));
  return std::find(spellings.begin(), spellings.end(), lower) != spellings.end();
}

std::string Attribute(const v1::Asset& asset, const char* key) {
  auto it = asset.attributes().find(key);
  return it == asset.attributes().end() ? "" : it->second;
}

}  // namespace

Result<Subnet> Subnet::Parse(const std::string& cidr) {
  Subnet s;
  const size_t slash = cidr.find('/');
  const std::string addr = cidr.substr(0, slash);
  if (::inet_pton(AF_INET, addr.c_str(), s.bytes_.data()) == 1) {
    s.family_ = AF_INET;
    s.prefix_ = 32;
  } else if (::inet_pton(AF_INET6, addr.c_str(), s.bytes_.data()) == 1) {
    s.family_ = AF_INET6;
    s.prefix_ = 128;
  } else {
    return Status::InvalidArgument("'" + cidr + "' is not a subnet (10.1.0.0/16, 2001:db8::/32)");
  }
  if (slash != std::string::npos) {
    auto prefix = ParseUint(cidr.substr(slash + 1));
    if (!prefix || static_cast<int>(*prefix) > s.prefix_) {
      return Status::InvalidArgument("'" + cidr + "': bad prefix length");
    }
    s.prefix_ = static_cast<int>(*prefix);
  }
  return s;
}

bool Subnet::Contains(const std::string& ip) const {
  std::array<unsigned char, 16> other{};
  if (::inet_pton(family_, ip.c_str(), other.data()) != 1) return false;
  int bits = prefix_;
  for (size_t i = 0; bits > 0; ++i, bits -= 8) {
    const unsigned char mask = bits >= 8 ? 0xff : static_cast<unsigned char>(0xff << (8 - bits));
    if ((bytes_[i] & mask) != (other[i] & mask)) return false;
  }
  return true;
}

std::vector<std::string> LifecycleStateChoices() {
  std::vector<std::string> states;
  for (auto s : lifecycle::States()) states.emplace_back(s);
  return states;
}

std::vector<OptionSpec> AssetFilterOptions(const std::vector<std::string>& except) {
  std::vector<std::string> states = LifecycleStateChoices();
  states.insert(states.begin(), "discovered");
  std::vector<OptionSpec> all = {
      {"class", ValueKind::kText, "CLASS", "asset class (laptop, server, ...)"},
      {"state", ValueKind::kChoice, "STATE", "lifecycle state", states},
      {"os", ValueKind::kText, "TEXT", "operating system contains TEXT"},
      {"vendor", ValueKind::kText, "TEXT", "vendor contains TEXT"},
      {"subnet", ValueKind::kText, "CIDR", "an address inside CIDR (10.1.0.0/16)"},
      {"owner", ValueKind::kText, "PERSON", "owned by PERSON (name, full name or email, any case)"},
      {"holder", ValueKind::kText, "PERSON",
       "checked out to PERSON (name, full name or email, any case)"},
      {"department", ValueKind::kText, "TEXT", "department contains TEXT"},
      {"tag", ValueKind::kText, "TAG", "asset tag is TAG (any case)"},
      {"location", ValueKind::kText, "PATH",
       "recorded location is PATH or below it (HQ/B2 takes HQ/B2/F3/R301; whole segments, any "
       "case)"},
      {"seen-in", ValueKind::kText, "PATH",
       "the network saw it at PATH or below (switch, port and subnet map: location list)"},
      {"location-mismatch", ValueKind::kSwitch, "",
       "the recorded location disagrees with where the network saw it"},
      {"hostname", ValueKind::kText, "TEXT", "host name contains TEXT"},
      {"seen-within", ValueKind::kDuration, "AGE", "last seen within AGE (7d)"},
      {"not-seen-for", ValueKind::kDuration, "AGE", "not seen for AGE (30d)"},
      {"managed", ValueKind::kSwitch, "", "managed assets only"},
      {"shadow", ValueKind::kSwitch, "", "shadow (unmanaged) devices only"},
      {"has-software", ValueKind::kText, "NAME[=VERSION]", "an agent reports this package"},
      {"lacking", ValueKind::kChoice, "CONTROL",
       "its agent reports no CONTROL (disk_encryption, secure_boot, tpm, firewall, auto_updates)",
       SecurityGapNames()},
  };
  std::vector<OptionSpec> out;
  for (auto& o : all) {
    if (std::find(except.begin(), except.end(), o.name) == except.end()) out.push_back(o);
  }
  return out;
}

Result<AssetFilter> AssetFilter::FromRequest(Store& store, const v1::AdminRequest& request,
                                             int64_t now_s,
                                             const std::vector<std::string>& except) {
  AssetFilter f;
  for (const auto& o : AssetFilterOptions(except)) f.empty_ &= !Option(request, o.name);
  auto option = [&](const char* name) -> std::optional<std::string> {
    if (std::find(except.begin(), except.end(), name) != except.end()) return std::nullopt;
    return Option(request, name);
  };
  auto lower = [&](const char* name) { return ToLower(option(name).value_or("")); };
  f.class_ = lower("class");
  f.state_ = lower("state");
  f.os_ = lower("os");
  f.vendor_ = lower("vendor");
  if (option("owner") || option("holder")) {
    auto people = AllPeople(store);
    if (!people.ok()) return people.status();
    if (auto owner = option("owner")) f.owner_ = SpellingsOf(*people, *owner);
    if (auto holder = option("holder")) f.holder_ = SpellingsOf(*people, *holder);
  }
  f.department_ = lower("department");
  f.tag_ = lower("tag");
  if (auto location = option("location")) {
    auto path = NormalizeLocationPath(*location, "--location");
    if (!path.ok()) return path.status();
    f.location_ = *path;
  }
  if (auto seen_in = option("seen-in")) {
    auto path = NormalizeLocationPath(*seen_in, "--seen-in");
    if (!path.ok()) return path.status();
    f.seen_in_ = *path;
  }
  f.location_mismatch_ = option("location-mismatch").has_value();
  if (!f.seen_in_.empty() || f.location_mismatch_) {
    auto map = LocationMap::Load(store);
    if (!map.ok()) return map.status();
    f.location_map_ = std::make_shared<const LocationMap>(std::move(*map));
  }
  f.hostname_ = lower("hostname");
  if (auto subnet = option("subnet")) {
    auto parsed = Subnet::Parse(*subnet);
    if (!parsed.ok()) return parsed.status();
    f.subnet_ = *parsed;
  }
  if (auto within = option("seen-within")) {
    auto d = ParseDurationSeconds(*within);
    if (!d.ok()) return d.status();
    f.seen_after_ = now_s - *d;
  }
  if (auto stale = option("not-seen-for")) {
    auto d = ParseDurationSeconds(*stale);
    if (!d.ok()) return d.status();
    f.seen_before_ = now_s - *d;
  }
  if (option("managed")) f.managed_ = true;
  if (option("shadow")) f.managed_ = false;
  f.lacking_ = lower("lacking");
  if (auto software = option("has-software")) {
    const size_t eq = software->find('=');
    f.software_name_ = software->substr(0, eq);
    if (eq != std::string::npos) f.software_version_ = software->substr(eq + 1);
    if (f.software_name_.empty())
      return Status::InvalidArgument("--has-software needs NAME[=VERSION]");
  }
  return f;
}

bool AssetFilter::Matches(const v1::Asset& a) const {
  if (!a.merged_into().empty()) return false;
  if (!class_.empty() && ToLower(a.asset_class()) != class_) return false;
  if (!state_.empty() && ToLower(a.state().empty() ? "discovered" : a.state()) != state_)
    return false;
  if (!ContainsText(a.os(), os_) || !ContainsText(a.vendor(), vendor_) ||
      !ContainsText(a.hostname(), hostname_) ||
      !ContainsText(Attribute(a, "department"), department_)) {
    return false;
  }
  if (!owner_.empty() && !IsOneOf(Attribute(a, "owner"), owner_)) return false;
  // A holder is who has it now: an asset checked back in has none.
  if (!holder_.empty() &&
      (a.state() != lifecycle::kCheckedOut || !IsOneOf(a.custody().holder(), holder_))) {
    return false;
  }
  if (!tag_.empty() && ToLower(Attribute(a, "asset_tag")) != tag_) return false;
  // The register's location only: where the network saw it is --seen-in.
  if (!location_.empty() && !LocationUnder(Attribute(a, "location"), location_)) return false;
  if (location_map_) {
    auto inferred = location_map_->Infer(a);
    if (!seen_in_.empty() && (!inferred || !LocationUnder(inferred->path, seen_in_))) return false;
    if (location_mismatch_ &&
        (!inferred || !LocationsDisagree(Attribute(a, "location"), inferred->path))) {
      return false;
    }
  }
  if (subnet_) {
    bool inside = false;
    for (const auto& ip : a.ips()) inside |= subnet_->Contains(ip);
    if (!a.location().ip().empty()) inside |= subnet_->Contains(a.location().ip());
    if (!inside) return false;
  }
  if (seen_after_ && a.last_seen() < seen_after_) return false;
  if (seen_before_ && a.last_seen() >= seen_before_) return false;
  if (managed_ && a.managed() != *managed_) return false;
  if (!lacking_.empty() && std::find(a.security_gaps().begin(), a.security_gaps().end(),
                                     lacking_) == a.security_gaps().end()) {
    return false;
  }
  return true;
}

Result<bool> AssetFilter::HasSoftware(Store& store, const SoftwareCatalogue& catalogue,
                                      const std::string& asset_id) const {
  const std::vector<uint32_t> titles = catalogue.TitlesNamed(software_name_);
  if (titles.empty()) return false;
  bool found = false;
  Status bad;
  ESTATE_RETURN_IF_ERROR(store.Scan(
      Table::kSoftware, FactsPrefix(asset_id), [&](std::string_view, std::string_view value) {
        HostSoftware software;
        if (!DecodeSoftwareSet(value, &software)) {
          bad = Status::Corruption("unparsable software set of " + asset_id);
          return false;
        }
        for (uint32_t title : titles) {
          const SoftwareEntry* entry = software.Find(title);
          if (entry == nullptr) continue;
          if (software_version_.empty()) {
            found = true;
          } else {
            auto version = catalogue.VersionById(catalogue.VersionId(title, entry->version_rank));
            found = version && version->version == software_version_;
          }
          if (found) return false;
        }
        return true;
      }));
  ESTATE_RETURN_IF_ERROR(bad);
  return found;
}

}  // namespace estate::collector
