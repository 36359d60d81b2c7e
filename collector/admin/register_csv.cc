#include "collector/admin/register_csv.h"

#include <set>

#include "collector/admin/csv_format.h"
#include "collector/admin/register_import.h"
#include "estate/text.h"

namespace estate::collector {

std::vector<std::string> RegisterCsvColumns(const std::vector<v1::Asset>& assets) {
  std::vector<std::string> columns = RegisterFields();
  std::set<std::string> custom;
  for (const auto& asset : assets) {
    for (const auto& [key, value] : asset.attributes()) {
      if (StartsWith(key, "x-")) custom.insert(key);
    }
  }
  columns.insert(columns.end(), custom.begin(), custom.end());
  return columns;
}

std::string RegisterCsvValue(const v1::Asset& asset, const std::string& column) {
  if (column == "asset_id") return asset.id();
  if (column == "serial") return asset.serial();
  if (column == "hostname") return asset.hostname();
  if (column == "class") return asset.asset_class();
  if (column == "state") return asset.state();
  if (column == "vendor") return asset.vendor();
  if (column == "model") return asset.model();
  if (column == "macs") {
    std::string macs;
    for (const auto& mac : asset.macs()) macs += (macs.empty() ? "" : " ") + mac;
    return macs;
  }
  // Everything else is an admin attribute of that name (asset_tag, owner, ...).
  auto it = asset.attributes().find(column);
  return it == asset.attributes().end() ? std::string() : it->second;
}

std::string RegisterCsv(const std::vector<v1::Asset>& assets) {
  const std::vector<std::string> columns = RegisterCsvColumns(assets);
  std::string out;
  for (size_t i = 0; i < columns.size(); ++i) out += (i ? "," : "") + CsvField(columns[i]);
  out += "\r\n";
  for (const auto& asset : assets) {
    for (size_t i = 0; i < columns.size(); ++i) {
      if (i) out += ',';
      out += CsvField(RegisterCsvValue(asset, columns[i]));
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace estate::collector
