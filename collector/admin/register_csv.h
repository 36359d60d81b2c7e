// The asset register as CSV (`estatectl export --format csv`): one row per
// asset with what the register holds — identity (asset id, tag, serial, host
// name, MACs), class, state, vendor, model, and the admin attributes
// (location, department, owner, purchase date, cost with its currency,
// warranty end, notes, x-NAME). The header uses the field names `estatectl
// import` reads, so an export imports back as it is. Dates are ISO 8601
// (YYYY-MM-DD, UTC). Pure functions; thread-safe.
#ifndef ESTATE_COLLECTOR_ADMIN_REGISTER_CSV_H_
#define ESTATE_COLLECTOR_ADMIN_REGISTER_CSV_H_

#include <string>
#include <vector>

#include "estate/v1/inventory.pb.h"

namespace estate::collector {

// The columns for `assets`: the register's fields (register_import.h), then
// the custom attributes (x-NAME) any of them carries, sorted.
std::vector<std::string> RegisterCsvColumns(const std::vector<v1::Asset>& assets);

// One asset's value of a column.
std::string RegisterCsvValue(const v1::Asset& asset, const std::string& column);

// The header and one row per asset, CRLF line ends (RFC 4180).
std::string RegisterCsv(const std::vector<v1::Asset>& assets);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_REGISTER_CSV_H_
