// The pure half of `estatectl import`: which column of a CSV register holds
// which field (auto-detected from the header names Snipe-IT, GLPI, OCS and
// spreadsheets use, overridden with --map and --ignore-column), and each row
// checked and normalised into the form the store holds (ISO dates, amounts
// with their currency, canonical MACs, location paths, lifecycle states,
// known classes). Every refusal names the line and the field. Pure functions;
// thread-safe.
#ifndef ESTATE_COLLECTOR_ADMIN_REGISTER_IMPORT_H_
#define ESTATE_COLLECTOR_ADMIN_REGISTER_IMPORT_H_

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "collector/admin/csv_format.h"
#include "estate/status.h"

namespace estate::collector {

// The largest file an import takes (as read, before compression for the
// admin socket). An import is one atomic write held in memory until it
// commits; a larger register is imported in parts, each all or nothing
// (docs/import.md).
inline constexpr size_t kMaxImportFileBytes = 64u << 20;

// The register's fields a column may hold, in the order an export writes
// them; custom attributes (x-NAME) come after.
const std::vector<std::string>& RegisterFields();

// What the admin said about the columns: --map COLUMN=field (several,
// newline-separated as estatectl sends a repeated option) and
// --ignore-column COLUMN. Columns are compared trimmed and in any case.
struct ColumnOverrides {
  std::map<std::string, std::string> fields;  // lower-case column -> field
  std::vector<std::string> ignored;           // lower-case columns
};
// InvalidArgument for a --map without '=' or naming no field ("serail": the
// nearest field named).
Result<ColumnOverrides> ParseColumnOverrides(std::string_view map_option,
                                             std::string_view ignore_option);

// The field of each column of the header ("" for an ignored one).
struct ColumnMap {
  std::vector<std::string> field_of;
  std::vector<std::string> ignored;  // the ignored columns, as written
  // "Asset Tag -> asset_tag": how each column was read, for the answer.
  std::vector<std::string> described;
};
// Refuses, naming line 1: a column no name is known for and no override
// maps or ignores (all listed, each with the nearest field), two columns of
// one field, an override naming a column the file lacks, and a header with
// no column that identifies an asset (asset_id, asset_tag, serial, hostname,
// macs).
Result<ColumnMap> MapColumns(const std::vector<std::string>& header,
                             const ColumnOverrides& overrides);

// One row, checked: field -> value in the store's form, empty cells left
// out. "macs" holds the canonical MACs separated by spaces. A row of empty
// cells (a spreadsheet's trailing ",,,,") has no values: blank, not an error.
struct ImportRow {
  size_t line = 0;
  std::map<std::string, std::string> values;
  std::vector<std::string> macs;
  std::string Get(const std::string& field) const {
    auto it = values.find(field);
    return it == values.end() ? std::string() : it->second;
  }
};
Result<ImportRow> ParseImportRow(const CsvRecord& record, const ColumnMap& columns,
                                 const std::vector<std::string>& known_classes);

// "hq \\ B2 / f3/" -> "hq/B2/f3": one separator ('/'; '\\' and '>' are read
// as it), parts trimmed with inner whitespace collapsed, empty parts dropped.
std::string NormalizeLocation(std::string_view path);
// An ISO 8601 date, or a date and time (its UTC date; no zone is UTC), or
// YYYY/MM/DD, as YYYY-MM-DD. Day-first and month-first dates are refused:
// 03/04/2024 is ambiguous.
Result<std::string> NormalizeImportDate(const std::string& value);
// "1,299.50", "$1299.5", "1299.50 EUR", "EUR 1299.50", "€ 1.299" (no) ->
// "1299.50 USD"-like amounts the cost attribute takes.
Result<std::string> NormalizeImportCost(const std::string& value);
// A class the store knows: "Laptops" -> laptop, "Desktop" -> workstation.
Result<std::string> NormalizeImportClass(const std::string& value,
                                         const std::vector<std::string>& known);
// A lifecycle state: the state's name, or a status label Snipe-IT and GLPI
// use ("Ready to Deploy" -> in_stock, "Out for Repair" -> in_repair).
Result<std::string> NormalizeImportState(const std::string& value);
// `date` plus `months`, the day kept or clamped to the month's last.
std::string AddMonths(const std::string& iso_date, int months);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_REGISTER_IMPORT_H_
