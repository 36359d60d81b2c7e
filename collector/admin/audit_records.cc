#include "collector/admin/audit_records.h"

#include <regex>

#include "collector/store/records.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

std::string Join(std::initializer_list<std::string_view> parts) {
  std::string key;
  for (auto p : parts) {
    if (!key.empty()) key += '\0';
    key += p;
  }
  return key;
}

}  // namespace

std::string AuditKey(std::string_view name) { return Join({"audit", ToLower(name)}); }
std::string AuditPrefix() { return std::string("audit\0", 6); }
std::string AuditConfirmationKey(std::string_view name, std::string_view code) {
  return Join({"audit_confirm", ToLower(name), ToLower(code)});
}
std::string AuditConfirmationPrefix(std::string_view name) {
  return Join({"audit_confirm", ToLower(name), ""});
}
std::string AuditResultKey(std::string_view name, std::string_view asset_id) {
  return Join({"audit_result", ToLower(name), asset_id});
}
std::string AuditResultPrefix(std::string_view name) {
  return Join({"audit_result", ToLower(name), ""});
}
std::string AssetAuditKey(std::string_view asset_id) { return Join({"audited", asset_id}); }

Result<std::string> CheckAuditName(std::string_view name) {
  static const std::regex kName("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  if (!std::regex_match(name.begin(), name.end(), kName)) {
    return Status::InvalidArgument("NAME: '" + SanitizeUtf8(name) +
                                   "' is not an audit name (letters, digits, '.', '_' and '-', "
                                   "up to 64: hq-2026-q4)");
  }
  return ToLower(name);
}

Result<v1::Audit> LoadAudit(ReadView& view, std::string_view name) {
  auto audit = GetRecord<v1::Audit>(view, Table::kSettings, AuditKey(name));
  if (!audit.ok()) return audit.status();
  if (!audit->has_value()) {
    return Status::NotFound("no audit named '" + SanitizeUtf8(name) + "' (audit list)");
  }
  return std::move(**audit);
}

Result<std::vector<v1::Audit>> LoadAudits(Store& store) {
  std::vector<v1::Audit> out;
  Status bad;
  ESTATE_RETURN_IF_ERROR(
      store.Scan(Table::kSettings, AuditPrefix(), [&](std::string_view, std::string_view value) {
        v1::Audit audit;
        if (!audit.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          bad = Status::Corruption("unparsable audit record");
          return false;
        }
        out.push_back(std::move(audit));
        return true;
      }));
  ESTATE_RETURN_IF_ERROR(bad);
  return out;
}

Result<std::map<std::string, v1::AuditConfirmation>> LoadConfirmations(Store& store,
                                                                       std::string_view name) {
  std::map<std::string, v1::AuditConfirmation> out;
  const std::string prefix = AuditConfirmationPrefix(name);
  Status bad;
  ESTATE_RETURN_IF_ERROR(
      store.Scan(Table::kSettings, prefix, [&](std::string_view key, std::string_view value) {
        v1::AuditConfirmation c;
        if (!c.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          bad = Status::Corruption("unparsable audit confirmation");
          return false;
        }
        out.emplace(std::string(key.substr(prefix.size())), std::move(c));
        return true;
      }));
  ESTATE_RETURN_IF_ERROR(bad);
  return out;
}

Result<std::map<std::string, std::string>> LoadAuditResults(Store& store, std::string_view name) {
  std::map<std::string, std::string> out;
  const std::string prefix = AuditResultPrefix(name);
  ESTATE_RETURN_IF_ERROR(
      store.Scan(Table::kSettings, prefix, [&](std::string_view key, std::string_view value) {
        out.emplace(std::string(key.substr(prefix.size())), std::string(value));
        return true;
      }));
  return out;
}

}  // namespace estate::collector
