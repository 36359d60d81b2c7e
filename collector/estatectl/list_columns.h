// The columns of each list estatectl prints (assets, events, drift, ...): one
// stable, documented set per list, shared by --csv and the human tables, so a
// spreadsheet's columns do not change with the data and hold the whole record.
// Times are ISO 8601 UTC. Pure functions over the collector's JSON answer.
#ifndef ESTATE_COLLECTOR_ESTATECTL_LIST_COLUMNS_H_
#define ESTATE_COLLECTOR_ESTATECTL_LIST_COLUMNS_H_

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "collector/admin/csv_format.h"
#include "estate/status.h"

namespace estate::collector {

struct ListColumn {
  std::string name;  // the CSV header and the --columns name
  std::function<std::string(const nlohmann::json& row)> value;
};

struct ListView {
  const nlohmann::json* rows = nullptr;  // an array in the answer
  std::vector<ListColumn> columns;       // every column, in the documented order
};

// The list in `command`'s answer and its columns. InvalidArgument when the
// command prints no list (or, for shadow, two: choose --devices or --software).
Result<ListView> ListOf(const std::string& command, const nlohmann::json& result);

// The columns named in `selection` ("id,hostname"), in that order; all when
// empty. Unknown names are an error naming the nearest column.
Result<std::vector<ListColumn>> SelectColumns(const ListView& view, const std::string& selection);

// CsvField (collector/admin/csv_format.h) quotes each field.

// The list as CSV: a header row, then one row per item, CRLF line ends.
Result<std::string> RenderCsv(const std::string& command, const nlohmann::json& result,
                              const std::string& selection);

// Unix seconds (a number or a numeric string) as "2026-11-23T14:05:09Z"; "" for 0.
std::string IsoTime(const nlohmann::json& value);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ESTATECTL_LIST_COLUMNS_H_
