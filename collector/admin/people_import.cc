#include "collector/admin/people_import.h"

#include <algorithm>
#include <map>
#include <set>

#include "collector/admin/people.h"
#include "estate/suggest.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

std::string Line(size_t n) { return "line " + std::to_string(n) + ": "; }

// A field's error with its line: "line 4: email: 'x' is not ...".
Status AtLine(size_t line, const Status& status) {
  return Status::InvalidArgument(Line(line) + status.message());
}

}  // namespace

Result<PeopleFile> ParsePeopleCsv(std::string_view text) {
  auto records = ParseCsvRecords(text);
  if (!records.ok()) return records.status();
  if (records->empty())
    return Status::InvalidArgument("the file is empty (header: name,email,department)");
  static const std::vector<std::string> kColumns = {"name", "email", "department", "full_name"};
  std::map<std::string, size_t> column;
  const auto& header = records->front().fields;
  for (size_t c = 0; c < header.size(); ++c) {
    const std::string name = ToLower(Trim(header[c]));
    if (std::find(kColumns.begin(), kColumns.end(), name) == kColumns.end()) {
      return Status::InvalidArgument(Line(records->front().line) + "unknown column '" + header[c] +
                                     "'" + DidYouMean(name, kColumns) +
                                     "; columns are name, email, department, full_name");
    }
    if (!column.emplace(name, c).second) {
      return Status::InvalidArgument(Line(1) + "column '" + name + "' is given twice");
    }
  }
  if (!column.count("name")) {
    return Status::InvalidArgument(Line(1) + "no 'name' column (header: name,email,department)");
  }
  PeopleFile out;
  std::set<std::string> seen;
  for (size_t r = 1; r < records->size(); ++r) {
    const auto& row = (*records)[r].fields;
    const size_t line = (*records)[r].line;
    if (row.size() != header.size()) {
      return Status::InvalidArgument(Line(line) + std::to_string(row.size()) +
                                     " fields where the header has " +
                                     std::to_string(header.size()));
    }
    auto get = [&](const char* name) {
      return column.count(name) ? std::string(Trim(row[column.at(name)])) : std::string();
    };
    v1::Person person;
    person.set_name(get("name"));
    person.set_email(get("email"));
    person.set_department(get("department"));
    person.set_full_name(get("full_name"));
    person.set_source("csv import");
    if (auto s = CheckPersonName(person.name()); !s.ok()) {
      return Status::InvalidArgument(Line(line) + "name: " + s.message());
    }
    if (!person.email().empty()) {
      if (auto s = CheckEmail(person.email()); !s.ok()) return AtLine(line, s);
    }
    for (const std::string* f : {&person.department(), &person.full_name()}) {
      for (unsigned char ch : *f) {
        if (ch < 0x20 || ch == 0x7f) {
          return Status::InvalidArgument(Line(line) + "control characters in " +
                                         (f == &person.department() ? "department" : "full_name"));
        }
      }
    }
    if (!seen.insert(ToLower(person.name())).second) {
      return Status::InvalidArgument(Line(line) + "name: '" + person.name() +
                                     "' is given twice (names are unique in any case)");
    }
    out.people.push_back(std::move(person));
  }
  return out;
}

Result<PeopleFile> ParsePasswd(std::string_view text, uint32_t min_uid) {
  PeopleFile out;
  std::set<std::string> seen;
  size_t line_number = 0;
  for (std::string_view line : Split(text, '\n')) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (Trim(line).empty()) continue;
    const std::vector<std::string_view> f = Split(line, ':');
    if (f.size() != 7) {
      return Status::InvalidArgument(Line(line_number) + std::to_string(f.size()) +
                                     " fields, not the 7 of a passwd line "
                                     "(name:password:uid:gid:gecos:home:shell)");
    }
    const std::string login(f[0]);
    auto uid = ParseUint(f[2]);
    if (!uid || *uid > UINT32_MAX) {
      return Status::InvalidArgument(Line(line_number) + "uid '" + std::string(f[2]) +
                                     "' is not a number");
    }
    const std::string shell(Trim(f[6]));
    const std::string base = shell.substr(shell.rfind('/') + 1);
    std::string why;
    if (*uid < min_uid) {
      why = "system account (uid " + std::to_string(*uid) + ")";
    } else if (*uid == 65534) {
      why = "the overflow account (uid 65534)";
    } else if (base == "nologin" || base == "false") {
      why = "no login shell (" + shell + ")";
    }
    if (!why.empty()) {
      out.skipped.push_back(Line(line_number) + login + ": " + why);
      continue;
    }
    if (auto s = CheckPersonName(login); !s.ok()) {
      return Status::InvalidArgument(Line(line_number) + "name: " + s.message());
    }
    // A login listed twice (files and LDAP): the first wins, as NSS does.
    if (!seen.insert(ToLower(login)).second) {
      out.skipped.push_back(Line(line_number) + login + ": listed before");
      continue;
    }
    // GECOS: full name, room, work phone, home phone, other.
    const std::vector<std::string_view> gecos = Split(f[4], ',');
    v1::Person person;
    person.set_name(login);
    person.set_full_name(std::string(Trim(gecos[0])));
    const std::string other(Trim(gecos.back()));
    if (gecos.size() > 1 && CheckEmail(other).ok()) person.set_email(other);
    person.set_source("getent import");
    out.people.push_back(std::move(person));
  }
  return out;
}

}  // namespace estate::collector
