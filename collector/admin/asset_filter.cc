#include "collector/admin/asset_filter.h"

#include <arpa/inet.h>

#include "collector/admin/admin_args.h"
#include "collector/store/keys.h"
#include "collector/store/software_set.h"
#include "estate/text.h"
#include "estate/v1/facts.pb.h"

namespace estate::collector {
namespace {

bool ContainsText(const std::string& haystack, const std::string& needle_lower) {
  return needle_lower.empty() || ToLower(haystack).find(needle_lower) != std::string::npos;
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

Result<AssetFilter> AssetFilter::FromRequest(const v1::AdminRequest& request, int64_t now_s) {
  AssetFilter f;
  auto lower = [&](const char* name) { return ToLower(OptionOr(request, name, "")); };
  f.class_ = lower("class");
  f.state_ = lower("state");
  f.os_ = lower("os");
  f.vendor_ = lower("vendor");
  f.owner_ = lower("owner");
  f.location_ = lower("location");
  f.hostname_ = lower("hostname");
  if (auto subnet = Option(request, "subnet")) {
    auto parsed = Subnet::Parse(*subnet);
    if (!parsed.ok()) return parsed.status();
    f.subnet_ = *parsed;
  }
  if (auto within = Option(request, "seen-within")) {
    auto d = ParseDurationSeconds(*within);
    if (!d.ok()) return d.status();
    f.seen_after_ = now_s - *d;
  }
  if (auto stale = Option(request, "not-seen-for")) {
    auto d = ParseDurationSeconds(*stale);
    if (!d.ok()) return d.status();
    f.seen_before_ = now_s - *d;
  }
  if (Option(request, "managed")) f.managed_ = true;
  if (Option(request, "shadow")) f.managed_ = false;
  if (auto software = Option(request, "has-software")) {
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
      !ContainsText(a.hostname(), hostname_) || !ContainsText(Attribute(a, "owner"), owner_)) {
    return false;
  }
  if (!location_.empty() && !ContainsText(Attribute(a, "location"), location_) &&
      !ContainsText(a.location().switch_name(), location_)) {
    return false;
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
