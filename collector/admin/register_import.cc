#include "collector/admin/register_import.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <regex>
#include <set>

#include "collector/admin/attribute_schema.h"
#include "collector/admin/people.h"
#include "collector/reconcile/lifecycle.h"
#include "estate/suggest.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

std::string Line(size_t n) { return "line " + std::to_string(n) + ": "; }

// "Serial Number", "serial_number", "S/N" -> "serialnumber", "sn".
std::string HeaderKey(std::string_view column) {
  std::string key;
  for (unsigned char c : column) {
    if (std::isalnum(c)) key += static_cast<char>(std::tolower(c));
  }
  return key;
}

// Column names by field, as registers name them (normalised by HeaderKey).
// Snipe-IT: Asset Tag, Serial, Name, Category, Status, Manufacturer, Model,
// Location, Department, Checked Out To, Purchase Date, Purchase Cost,
// Warranty (months), Warranty Expires, Notes. GLPI: Name, Serial number,
// Inventory number, Type, Status, Manufacturer, Model, Location, User,
// Comments. OCS: Computer name, Serial number, MAC address, Tag.
const std::map<std::string, std::string>& KnownHeaders() {
  static const auto* headers = [] {
    const std::vector<std::pair<std::string, std::vector<std::string>>> names = {
        {"asset_id", {"assetid", "estateid", "estateassetid"}},
        {"asset_tag",
         {"assettag", "tag", "inventorynumber", "inventoryno", "assetnumber", "assetno",
          "otherserial", "propertytag", "propertynumber", "barcode"}},
        {"serial", {"serial", "serialnumber", "serialno", "sn", "servicetag", "ssn"}},
        {"hostname",
         {"hostname", "host", "name", "computername", "devicename", "assetname", "netbiosname",
          "machinename", "computer", "fqdn", "dnsname"}},
        {"class",
         {"class", "category", "type", "assetclass", "assettype", "devicetype", "computertype",
          "categoryname"}},
        {"state", {"state", "status", "statuslabel", "lifecyclestate", "assetstatus"}},
        {"vendor", {"vendor", "manufacturer", "make", "brand", "manufacturername"}},
        {"model", {"model", "modelname", "product", "productname"}},
        {"location", {"location", "locationname", "locationpath", "site"}},
        {"department", {"department", "dept", "departmentname"}},
        {"owner",
         {"owner", "assignedto", "assigneduser", "assignee", "checkedoutto", "user", "username",
          "custodian", "employee", "assignedperson", "usedby"}},
        {"purchase_date",
         {"purchasedate", "purchased", "dateofpurchase", "datepurchased", "acquisitiondate",
          "purchasedon"}},
        {"cost", {"cost", "purchasecost", "purchaseprice", "price"}},
        {"warranty_end",
         {"warrantyend", "warranty", "warrantyexpires", "warrantyexpiry", "warrantyexpiration",
          "warrantyexpirationdate", "warrantyenddate", "warrantyuntil", "warrantymonths"}},
        {"macs",
         {"mac", "macs", "macaddress", "macaddresses", "macaddr", "ethernetaddress",
          "hardwareaddress"}},
        {"notes", {"notes", "note", "comment", "comments", "description", "remarks"}},
    };
    auto* map = new std::map<std::string, std::string>;
    for (const auto& [field, keys] : names) {
      for (const auto& k : keys) (*map)[k] = field;
    }
    return map;
  }();
  return *headers;
}

std::string ToUpper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

bool IsCustomField(const std::string& field) {
  static const std::regex kCustom("x-[a-z0-9][a-z0-9_.-]{0,61}");
  return std::regex_match(field, kCustom);
}

bool IsField(const std::string& field) {
  const auto& fields = RegisterFields();
  return std::find(fields.begin(), fields.end(), field) != fields.end() || IsCustomField(field);
}

std::string FieldList() {
  std::string list;
  for (const auto& f : RegisterFields()) list += f + ", ";
  return list + "or x-NAME";
}

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> out;
  for (auto part : Split(text, '\n')) {
    if (!Trim(part).empty()) out.push_back(Trim(part));
  }
  return out;
}

// Days since 1970-01-01 of a civil date, and back (H. Hinnant's algorithms).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::string CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
  char out[48];  // room for any int, so the compiler can prove no truncation
  std::snprintf(out, sizeof out, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return out;
}

// A cell as the store holds text: an export's formula guard (a ' before
// = + - @) taken off, line breaks and tabs of a multi-line spreadsheet cell
// made single spaces (attributes hold one line), trimmed.
std::string CellText(std::string_view cell) {
  if (cell.size() >= 2 && cell[0] == '\'' &&
      std::string_view("=+-@\t\r").find(cell[1]) != std::string_view::npos) {
    cell.remove_prefix(1);
  }
  std::string out;
  for (char c : cell) {
    if (c == '\r' || c == '\n' || c == '\t') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  return std::string(Trim(out));
}

Status FieldError(size_t line, const std::string& field, const std::string& why) {
  return Status::InvalidArgument(Line(line) + field + ": " + why);
}

}  // namespace

const std::vector<std::string>& RegisterFields() {
  static const auto* fields = new std::vector<std::string>{
      "asset_id", "asset_tag",    "serial",   "hostname",   "class", "state",
      "vendor",   "model",        "location", "department", "owner", "purchase_date",
      "cost",     "warranty_end", "macs",     "notes"};
  return *fields;
}

Result<ColumnOverrides> ParseColumnOverrides(std::string_view map_option,
                                             std::string_view ignore_option) {
  ColumnOverrides out;
  for (auto entry : SplitLines(map_option)) {
    const size_t eq = entry.rfind('=');
    if (eq == std::string_view::npos || eq == 0) {
      return Status::InvalidArgument("--map '" + std::string(entry) + "': give COLUMN=field");
    }
    const std::string column = ToLower(Trim(entry.substr(0, eq)));
    const std::string field(Trim(entry.substr(eq + 1)));
    if (!IsField(field)) {
      return Status::InvalidArgument("--map '" + std::string(entry) + "': no field '" + field +
                                     "'" + DidYouMean(field, RegisterFields()) + "; fields are " +
                                     FieldList());
    }
    if (!out.fields.emplace(column, field).second) {
      return Status::InvalidArgument("--map: column '" + column + "' is mapped twice");
    }
  }
  for (auto column : SplitLines(ignore_option)) out.ignored.push_back(ToLower(column));
  return out;
}

Result<ColumnMap> MapColumns(const std::vector<std::string>& header,
                             const ColumnOverrides& overrides) {
  ColumnMap out;
  std::vector<std::string> lower, unknown;
  std::map<std::string, std::string> column_of_field;  // field -> column that holds it
  for (const auto& raw : header) {
    const std::string column(Trim(raw));
    lower.push_back(ToLower(column));
    std::string field;
    const bool ignored = std::find(overrides.ignored.begin(), overrides.ignored.end(),
                                   lower.back()) != overrides.ignored.end();
    if (ignored) {
      out.ignored.push_back(column);
    } else if (auto o = overrides.fields.find(lower.back()); o != overrides.fields.end()) {
      field = o->second;
    } else if (auto k = KnownHeaders().find(HeaderKey(column)); k != KnownHeaders().end()) {
      field = k->second;
    } else if (IsField(lower.back())) {
      field = lower.back();  // an export's own header: x-NAME
    } else {
      unknown.push_back(column);
    }
    out.field_of.push_back(field);
    if (field.empty()) continue;
    out.described.push_back(column + " -> " + field);
    auto [it, fresh] = column_of_field.emplace(field, column);
    if (!fresh) {
      return Status::InvalidArgument("line 1: columns '" + it->second + "' and '" + column +
                                     "' both hold " + field +
                                     ": --ignore-column one of them, or "
                                     "--map it to another field");
    }
  }
  for (const auto& c : overrides.ignored) {
    if (std::find(lower.begin(), lower.end(), c) == lower.end()) {
      return Status::InvalidArgument("--ignore-column: the file has no column '" + c + "'" +
                                     DidYouMean(c, lower));
    }
  }
  for (const auto& [c, field] : overrides.fields) {
    if (std::find(lower.begin(), lower.end(), c) == lower.end()) {
      return Status::InvalidArgument("--map: the file has no column '" + c + "'" +
                                     DidYouMean(c, lower));
    }
  }
  if (!unknown.empty()) {
    std::string list;
    std::vector<std::string> names;
    for (const auto& [key, field] : KnownHeaders()) names.push_back(key);
    for (const auto& c : unknown) {
      const std::string near_name = ClosestMatch(HeaderKey(c), names);
      const std::string nearest = near_name.empty() ? ClosestMatch(HeaderKey(c), RegisterFields())
                                                    : KnownHeaders().at(near_name);
      list +=
          (list.empty() ? "'" : ", '") + c + "'" + (nearest.empty() ? "" : " (" + nearest + "?)");
    }
    return Status::InvalidArgument("line 1: columns not understood: " + list +
                                   "; map each to a field (--map 'COLUMN=field'"
                                   ", fields are " +
                                   FieldList() + ") or leave it out (--ignore-column 'COLUMN')");
  }
  static const std::vector<std::string> kIdentifying = {"asset_id", "asset_tag", "serial",
                                                        "hostname", "macs"};
  if (std::none_of(kIdentifying.begin(), kIdentifying.end(),
                   [&](const std::string& f) { return column_of_field.count(f) > 0; })) {
    return Status::InvalidArgument(
        "line 1: no column identifies an asset (an asset tag, serial, host name, MAC or asset "
        "id): is line 1 the header?");
  }
  return out;
}

std::string NormalizeLocation(std::string_view path) {
  std::string out, part;
  auto flush = [&] {
    if (!part.empty()) out += (out.empty() ? "" : "/") + part;
    part.clear();
  };
  bool space = false;
  for (char c : path) {
    if (c == '/' || c == '\\' || c == '>') {
      flush();
      space = false;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      space = !part.empty();
    } else {
      if (space) part += ' ';
      space = false;
      part += c;
    }
  }
  flush();
  return out;
}

Result<std::string> NormalizeImportDate(const std::string& value) {
  static const std::regex kDate(
      R"((\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)"
      R"(\s*(Z|[+-]\d{2}:?\d{2})?)?)");
  std::smatch m;
  if (!std::regex_match(value, m, kDate)) {
    static const std::regex kOtherOrder(R"(\d{1,2}[./-]\d{1,2}[./-]\d{2,4}.*)");
    return Status::InvalidArgument(
        "'" + value + "' is not an ISO 8601 date (YYYY-MM-DD)" +
        (std::regex_match(value, kOtherOrder) ? ": day and month order is ambiguous" : "") +
        "; format the column as yyyy-mm-dd");
  }
  char date[48];
  std::snprintf(date, sizeof date, "%s-%02d-%02d", m[1].str().c_str(), std::stoi(m[2]),
                std::stoi(m[3]));
  if (!IsIsoDate(date)) return Status::InvalidArgument("'" + value + "' is not a real date");
  if (!m[4].matched) return std::string(date);
  int64_t seconds = DaysFromCivil(std::stoi(m[1]), std::stoi(m[2]), std::stoi(m[3])) * 86400 +
                    std::stoi(m[4]) * 3600 + std::stoi(m[5]) * 60;
  if (std::stoi(m[4]) > 23 || std::stoi(m[5]) > 59) {
    return Status::InvalidArgument("'" + value + "' is not a real time");
  }
  if (m[7].matched && m[7] != "Z") {
    std::string zone = m[7];
    zone.erase(std::remove(zone.begin(), zone.end(), ':'), zone.end());
    const int64_t offset = std::stoi(zone.substr(1, 2)) * 3600 + std::stoi(zone.substr(3, 2)) * 60;
    seconds += zone[0] == '-' ? offset : -offset;
  }
  return CivilFromDays(seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400);
}

std::string AddMonths(const std::string& iso_date, int months) {
  int y = std::stoi(iso_date.substr(0, 4)), m = std::stoi(iso_date.substr(5, 2)),
      d = std::stoi(iso_date.substr(8, 2));
  const int total = y * 12 + (m - 1) + months;
  y = total / 12;
  m = total % 12 + 1;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  d = std::min(d, kDays[m - 1] + (m == 2 && leap ? 1 : 0));
  char out[48];  // room for any int, so the compiler can prove no truncation
  std::snprintf(out, sizeof out, "%04d-%02d-%02d", y, m, d);
  return out;
}

Result<std::string> NormalizeImportCost(const std::string& value) {
  std::string text(Trim(value)), currency;
  static const std::vector<std::pair<std::string, std::string>> kSymbols = {
      {"$", "USD"}, {"\xe2\x82\xac", "EUR"}, {"\xc2\xa3", "GBP"}, {"\xc2\xa5", "JPY"}};
  for (const auto& [symbol, code] : kSymbols) {
    if (StartsWith(text, symbol)) {
      currency = code;
      text = std::string(Trim(text.substr(symbol.size())));
    } else if (text.size() > symbol.size() &&
               text.compare(text.size() - symbol.size(), symbol.size(), symbol) == 0) {
      currency = code;
      text = std::string(Trim(text.substr(0, text.size() - symbol.size())));
    }
  }
  static const std::regex kCodeFirst(R"(([A-Za-z]{3})\s*(\S+))");
  static const std::regex kCodeLast(R"((\S+)\s*([A-Za-z]{3}))");
  std::smatch m;
  if (currency.empty() && std::regex_match(text, m, kCodeFirst)) {
    currency = m[1];
    text = m[2];
  } else if (currency.empty() && std::regex_match(text, m, kCodeLast)) {
    currency = m[2];
    text = m[1];
  }
  // Thousands separators only where they cannot be a decimal comma.
  static const std::regex kGrouped(R"(\d{1,3}(,\d{3})+(\.\d{1,2})?)");
  if (std::regex_match(text, kGrouped))
    text.erase(std::remove(text.begin(), text.end(), ','), text.end());
  std::string amount = text + (currency.empty() ? "" : " " + ToUpper(currency));
  if (Status s = CheckAttribute("cost", amount); !s.ok()) {
    std::string why = s.message();
    if (StartsWith(why, "cost: ")) why.erase(0, 6);
    return Status::InvalidArgument(why);
  }
  return amount;
}

Result<std::string> NormalizeImportClass(const std::string& value,
                                         const std::vector<std::string>& known) {
  std::string name = ToLower(Trim(value));
  std::replace(name.begin(), name.end(), ' ', '_');
  std::replace(name.begin(), name.end(), '-', '_');
  static const std::map<std::string, std::string> kSynonyms = {
      {"desktop", "workstation"},
      {"desktops", "workstation"},
      {"pc", "workstation"},
      {"computer", "workstation"},
      {"computers", "workstation"},
      {"notebook", "laptop"},
      {"notebooks", "laptop"},
      {"mobile_phone", "phone"},
      {"mobile_phones", "phone"},
      {"smartphone", "phone"},
      {"smartphones", "phone"},
      {"switch", "network"},
      {"switches", "network"},
      {"router", "network"},
      {"routers", "network"},
      {"firewall", "network"},
      {"access_point", "network"},
      {"networking", "network"},
      {"network_equipment", "network"},
      {"vm", "virtual_machine"},
      {"virtual_machines", "virtual_machine"},
      {"printers", "printer"},
      {"screen", "monitor"},
      {"display", "monitor"}};
  auto is_known = [&](const std::string& n) {
    return std::find(known.begin(), known.end(), n) != known.end();
  };
  if (is_known(name)) return name;
  if (auto s = kSynonyms.find(name); s != kSynonyms.end() && is_known(s->second)) {
    return s->second;
  }
  if (name.size() > 1 && name.back() == 's' && is_known(name.substr(0, name.size() - 1))) {
    return name.substr(0, name.size() - 1);  // "Laptops", "Monitors"
  }
  std::string why = CheckClass(known, name).message();
  if (StartsWith(why, "class: ")) why.erase(0, 7);
  return Status::InvalidArgument(why);
}

Result<std::string> NormalizeImportState(const std::string& value) {
  std::string name = ToLower(Trim(value));
  std::replace(name.begin(), name.end(), ' ', '_');
  std::replace(name.begin(), name.end(), '-', '_');
  for (auto state : lifecycle::States()) {
    if (name == state) return std::string(state);
  }
  static const std::map<std::string, std::string_view> kLabels = {
      {"ready_to_deploy", lifecycle::kInStock}, {"deployable", lifecycle::kInStock},
      {"in_store", lifecycle::kInStock},        {"stock", lifecycle::kInStock},
      {"spare", lifecycle::kInStock},           {"available", lifecycle::kInStock},
      {"pending", lifecycle::kOrdered},         {"on_order", lifecycle::kOrdered},
      {"in_use", lifecycle::kDeployed},         {"active", lifecycle::kDeployed},
      {"assigned", lifecycle::kDeployed},       {"out_for_repair", lifecycle::kInRepair},
      {"broken", lifecycle::kInRepair},         {"repair", lifecycle::kInRepair},
      {"archived", lifecycle::kRetired},        {"decommissioned", lifecycle::kRetired},
      {"disposed_of", lifecycle::kDisposed},    {"scrapped", lifecycle::kDisposed},
      {"sold", lifecycle::kDisposed},           {"checked_out", lifecycle::kCheckedOut}};
  if (auto it = kLabels.find(name); it != kLabels.end()) return std::string(it->second);
  std::vector<std::string> names;
  for (auto s : lifecycle::States()) names.emplace_back(s);
  for (const auto& [label, state] : kLabels) names.push_back(label);
  std::string list;
  for (auto s : lifecycle::States()) list += (list.empty() ? "" : ", ") + std::string(s);
  return Status::InvalidArgument("'" + value + "' is not a lifecycle state" +
                                 DidYouMean(name, names) + " (" + list + ")");
}

Result<ImportRow> ParseImportRow(const CsvRecord& record, const ColumnMap& columns,
                                 const std::vector<std::string>& known_classes) {
  const size_t line = record.line;
  if (record.fields.size() != columns.field_of.size()) {
    return Status::InvalidArgument(Line(line) + std::to_string(record.fields.size()) +
                                   " fields where the header has " +
                                   std::to_string(columns.field_of.size()));
  }
  ImportRow row;
  row.line = line;
  std::string warranty;
  for (size_t c = 0; c < record.fields.size(); ++c) {
    const std::string& field = columns.field_of[c];
    if (field.empty()) continue;
    std::string value = CellText(record.fields[c]);
    if (value.empty()) continue;
    if (field == "class") {
      auto cls = NormalizeImportClass(value, known_classes);
      if (!cls.ok()) return FieldError(line, field, cls.status().message());
      value = *cls;
    } else if (field == "state") {
      auto state = NormalizeImportState(value);
      if (!state.ok()) return FieldError(line, field, state.status().message());
      value = *state;
    } else if (field == "purchase_date") {
      auto date = NormalizeImportDate(value);
      if (!date.ok()) return FieldError(line, field, date.status().message());
      value = *date;
    } else if (field == "warranty_end") {
      warranty = value;  // may be months after the purchase date: read below
      continue;
    } else if (field == "cost") {
      auto cost = NormalizeImportCost(value);
      if (!cost.ok()) return FieldError(line, field, cost.status().message());
      value = *cost;
    } else if (field == "macs") {
      std::string canonical;
      for (char& ch : value) {
        if (ch == ',' || ch == ';' || ch == '|' || ch == '\n' || ch == '\r') ch = ' ';
      }
      for (auto part : Split(value, ' ')) {
        if (Trim(part).empty()) continue;
        auto mac = NormalizeMac(Trim(part));
        if (!mac) {
          return FieldError(line, field, "'" + std::string(part) + "' is not a MAC address");
        }
        if (std::find(row.macs.begin(), row.macs.end(), *mac) != row.macs.end()) continue;
        row.macs.push_back(*mac);
        canonical += (canonical.empty() ? "" : " ") + *mac;
      }
      value = canonical;
    } else if (field == "location") {
      value = NormalizeLocation(value);
    } else if (field == "owner") {
      if (Status s = CheckPersonName(value); !s.ok()) return FieldError(line, field, s.message());
    } else if (field == "asset_id" || field == "serial" || field == "hostname" ||
               field == "vendor" || field == "model") {
      for (unsigned char ch : value) {
        if (ch < 0x20 || ch == 0x7f) return FieldError(line, field, "control characters");
      }
      if (value.size() > 255) return FieldError(line, field, "longer than 255 bytes");
    }
    // The rest as `set` checks them (dates and cost were checked as they were read).
    if (field != "class" && field != "state" && field != "asset_id" && field != "serial" &&
        field != "hostname" && field != "vendor" && field != "model" && field != "macs" &&
        field != "owner" && field != "purchase_date" && field != "cost") {
      if (Status s = CheckAttribute(field, value); !s.ok()) {
        return Status::InvalidArgument(Line(line) + s.message());
      }
    }
    row.values[field] = value;
  }
  if (!warranty.empty()) {
    static const std::regex kMonths(R"((\d{1,3})\s*(m|mo|mos|month|months)?)", std::regex::icase);
    std::smatch m;
    if (std::regex_match(warranty, m, kMonths)) {
      // Snipe-IT's Warranty column: months from the purchase date.
      const std::string purchased = row.Get("purchase_date");
      if (purchased.empty()) {
        return FieldError(line, "warranty_end",
                          "'" + warranty + "' months need a purchase date on the row");
      }
      row.values["warranty_end"] = AddMonths(purchased, std::stoi(m[1]));
    } else {
      auto date = NormalizeImportDate(warranty);
      if (!date.ok()) return FieldError(line, "warranty_end", date.status().message());
      row.values["warranty_end"] = *date;
    }
  }
  if (row.values.empty()) return row;  // a spreadsheet's trailing ",,,," row: blank
  if (row.Get("asset_id").empty() && row.Get("asset_tag").empty() && row.Get("serial").empty() &&
      row.Get("hostname").empty() && row.macs.empty()) {
    // Without one, a second import could not find what the first created.
    return Status::InvalidArgument(Line(line) +
                                   "nothing identifies the asset (an asset tag, serial, host "
                                   "name, MAC or asset id)");
  }
  return row;
}

}  // namespace estate::collector
