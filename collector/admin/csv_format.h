// CSV in and out. CsvReader: RFC 4180 records, one at a time, from text in memory: fields
// separated by commas, records by CRLF or LF, a quoted field may hold commas,
// line breaks and doubled quotes; a UTF-8 byte order mark is skipped. An
// import of 100,000 rows reads them one by one instead of holding every row's
// fields at once. The one CSV parser of the admin commands (people and the
// asset register); CsvField the one quoting of what estatectl and the
// collector write. The reader is not thread-safe, and the text must outlive it.
#ifndef ESTATE_COLLECTOR_ADMIN_CSV_FORMAT_H_
#define ESTATE_COLLECTOR_ADMIN_CSV_FORMAT_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "estate/status.h"

namespace estate::collector {

struct CsvRecord {
  size_t line = 0;  // where the record starts (a quoted field may span lines)
  std::vector<std::string> fields;
};

class CsvReader {
 public:
  explicit CsvReader(std::string_view text);
  // The next record into *record: true, or false at the end of the text. A
  // blank line is no record. InvalidArgument naming the line of a stray
  // quote or an unterminated quoted field.
  Result<bool> Next(CsvRecord* record);

 private:
  std::string_view text_;
  size_t pos_ = 0;
  size_t line_ = 1;
};

// Every record of `text`.
Result<std::vector<CsvRecord>> ParseCsvRecords(std::string_view text);

// One field for a spreadsheet: RFC 4180 quoting (a field holding a comma,
// quote, CR or LF is quoted, quotes doubled), and a text starting with = + -
// @, tab or CR prefixed with ' so it is not run as a formula (OWASP CSV
// injection; an import takes that ' off again).
std::string CsvField(std::string_view value);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_CSV_FORMAT_H_
