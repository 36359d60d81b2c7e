// Parsers of the files `estatectl person import` reads: a CSV of people
// (RFC 4180, header name,email,department) and `getent passwd` output. Pure
// functions over the text (estatectl reads the file or runs getent and sends
// the text); thread-safe.
#ifndef ESTATE_COLLECTOR_ADMIN_PEOPLE_IMPORT_H_
#define ESTATE_COLLECTOR_ADMIN_PEOPLE_IMPORT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "collector/admin/csv_format.h"
#include "estate/status.h"
#include "estate/v1/people.pb.h"

namespace estate::collector {

struct PeopleFile {
  std::vector<v1::Person> people;
  std::vector<std::string> skipped;  // "line 3: root: system account (uid 0)"
};

// A CSV with a header naming its columns: name (required), email,
// department, full_name, in any order and case. Every error names the line
// and the field (a bad email, a missing name, a name given twice); one bad
// row refuses the file, so an import is all or nothing.
Result<PeopleFile> ParsePeopleCsv(std::string_view text);

// `getent passwd` lines (name:password:uid:gid:gecos:home:shell): the login
// is the name, the GECOS field's first part the full name, and an email in
// its last part is kept. Accounts with a uid under `min_uid` (system
// accounts), the overflow uid 65534 and those whose shell refuses logins
// (nologin, false) are skipped, and listed in `skipped`.
Result<PeopleFile> ParsePasswd(std::string_view text, uint32_t min_uid);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_PEOPLE_IMPORT_H_
