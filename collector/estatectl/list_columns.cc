#include "collector/estatectl/list_columns.h"

#include "estate/iso_time.h"
#include "estate/suggest.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

using nlohmann::json;

// A JSON value as text: strings as they are, lists joined with `sep`.
std::string Text(const json& v, const char* sep = " ") {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_array()) {
    std::string out;
    for (const auto& item : v) {
      if (!out.empty()) out += sep;
      out += Text(item, sep);
    }
    return out;
  }
  return v.dump();
}

const json& At(const json& row, const char* key) {
  static const json kNull;
  return row.is_object() && row.contains(key) ? row.at(key) : kNull;
}

const json& At(const json& row, const char* key, const char* inner) {
  return At(At(row, key), inner);
}

std::string First(const json& list) {
  return list.is_array() && !list.empty() ? Text(list.front()) : "";
}

ListColumn Field(std::string name, const char* key) {
  return {std::move(name), [key](const json& r) { return Text(At(r, key)); }};
}
ListColumn Time(std::string name, const char* key) {
  return {std::move(name), [key](const json& r) { return IsoTime(At(r, key)); }};
}
ListColumn Attribute(std::string name, const char* key) {
  return {std::move(name), [key](const json& r) { return Text(At(r, "attributes", key)); }};
}

bool IsSchemaAttribute(const std::string& key) {
  for (const char* k : {"owner", "location", "department", "cost", "purchase_date", "warranty_end",
                        "asset_tag", "notes"}) {
    if (key == k) return true;
  }
  return false;
}

// Documented in estatectl(8), EXPORTS: append only, never reorder.
std::vector<ListColumn> AssetColumns() {
  return {
      Field("id", "id"),
      Attribute("asset_tag", "asset_tag"),
      Field("hostname", "hostname"),
      Field("fqdn", "fqdn"),
      Field("class", "asset_class"),
      {"state",
       [](const json& r) {
         const std::string s = Text(At(r, "state"));
         return s.empty() ? std::string("discovered") : s;
       }},
      Field("managed", "managed"),
      Attribute("owner", "owner"),
      Attribute("department", "department"),
      Attribute("location", "location"),
      {"holder", [](const json& r) { return Text(At(r, "custody", "holder")); }},
      {"checked_out_at", [](const json& r) { return IsoTime(At(r, "custody", "checked_out_at")); }},
      {"due", [](const json& r) { return IsoTime(At(r, "custody", "due")); }},
      Attribute("cost", "cost"),
      Attribute("purchase_date", "purchase_date"),
      Attribute("warranty_end", "warranty_end"),
      Attribute("notes", "notes"),
      {"custom",
       [](const json& r) {
         std::string out;
         for (const auto& [k, v] : At(r, "attributes").items()) {
           if (IsSchemaAttribute(k)) continue;
           out += (out.empty() ? "" : ";") + k + "=" + Text(v);
         }
         return out;
       }},
      Field("vendor", "vendor"),
      Field("model", "model"),
      Field("serial", "serial"),
      Field("os", "os"),
      {"primary_ip", [](const json& r) { return First(At(r, "ips")); }},
      {"primary_mac", [](const json& r) { return First(At(r, "macs")); }},
      Field("ips", "ips"),
      Field("macs", "macs"),
      Field("device_type", "device_type"),
      {"switch", [](const json& r) { return Text(At(r, "location", "switch_name")); }},
      {"switch_port", [](const json& r) { return Text(At(r, "location", "port")); }},
      {"vlan", [](const json& r) { return Text(At(r, "location", "vlan")); }},
      Time("first_seen", "first_seen"),
      Time("last_seen", "last_seen"),
      Field("ignored", "ignored_reason"),
  };
}

std::vector<ListColumn> ChangesColumn() {
  return {{"changes", [](const json& r) {
             std::string out;
             for (const auto& c : At(r, "changes")) {
               out += (out.empty() ? "" : "; ") + Text(At(c, "field")) + ": " +
                      Text(At(c, "before")) + " -> " + Text(At(c, "after"));
             }
             return out;
           }}};
}

std::vector<ListColumn> With(std::vector<ListColumn> a, std::vector<ListColumn> b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

std::string IsoTime(const json& value) {
  int64_t seconds = 0;
  if (value.is_number_integer()) {
    seconds = value.get<int64_t>();
  } else if (value.is_string()) {
    const std::string text = value.get<std::string>();
    auto parsed = ParseUint(text);
    if (!parsed) return text;  // already formatted
    seconds = static_cast<int64_t>(*parsed);
  }
  return FormatIsoUtc(seconds);
}

Result<ListView> ListOf(const std::string& command, const json& result) {
  auto list = [&](const char* key) -> const json* {
    return result.contains(key) && result.at(key).is_array() ? &result.at(key) : nullptr;
  };
  ListView view;
  if (command == "assets" || command == "person") {
    view.rows = list("assets");
    view.columns = AssetColumns();
  } else if (command == "events") {
    view.rows = list("events");
    view.columns = With({Field("seq", "seq"), Time("time", "at"), Field("severity", "severity"),
                         Field("kind", "kind"), Field("asset_id", "asset_id"),
                         Field("source", "source"), Field("summary", "summary")},
                        ChangesColumn());
  } else if (command == "history") {
    view.rows = list("events");
    view.columns = With({Time("time", "at"), Field("kind", "kind"), Field("actor", "source"),
                         Field("severity", "severity"), Field("summary", "summary")},
                        ChangesColumn());
  } else if (command == "drift") {
    view.rows = list("drift");
    view.columns = {Field("asset_id", "asset_id"),
                    Field("severity", "severity"),
                    Field("group", "group"),
                    Field("fact", "fact"),
                    Field("before", "before"),
                    Field("after", "after"),
                    {"first_seen", [](const json& r) { return IsoTime(At(r, "first_seen")); }}};
  } else if (command == "sightings") {
    view.rows = list("sightings");
    view.columns = {Field("ip", "ip"),
                    Field("mac", "mac"),
                    Field("vendor", "vendor"),
                    Field("hostname", "hostname"),
                    Field("sources", "sources"),
                    Field("reporter", "reporter"),
                    Time("first_seen", "first_seen"),
                    Time("last_seen", "last_seen")};
  } else if (command == "agents") {
    view.rows = list("agents");
    view.columns = {Field("node_id", "node_id"),
                    Field("hostname", "hostname"),
                    Field("kind", "kind"),
                    Field("version", "version"),
                    Time("enrolled_at", "enrolled_at"),
                    Time("last_seen", "last_seen"),
                    Field("last_address", "last_address"),
                    Field("revoked", "revoked"),
                    Time("revoked_at", "revoked_at")};
  } else if (command == "inventory-user") {
    view.rows = list("users");
    view.columns = {Field("name", "name"),
                    Time("created_at", "created_at"),
                    Field("created_by", "created_by"),
                    Field("revoked", "revoked"),
                    Time("revoked_at", "revoked_at"),
                    Field("revoked_by", "revoked_by")};
  } else if (command == "shadow") {
    const json* devices = list("devices");
    const json* software = list("software");
    if (devices && software) {
      return Status::InvalidArgument(
          "shadow lists devices and software: choose --devices or --software for --csv");
    }
    if (devices) {
      view.rows = devices;
      view.columns = {Field("asset_id", "asset_id"),
                      Field("mac", "mac"),
                      Field("ip", "ip"),
                      Field("vendor", "vendor"),
                      Field("hostname", "hostname"),
                      Field("device_type", "device_type"),
                      Field("switch", "switch"),
                      Field("port", "port"),
                      Field("vlan", "vlan"),
                      Time("first_seen", "first_seen"),
                      Time("last_seen", "last_seen"),
                      Field("evidence", "evidence"),
                      Field("ignored", "ignored")};
    } else {
      view.rows = software;
      view.columns = {Field("verdict", "verdict"), Field("kind", "kind"), Field("name", "name"),
                      Field("versions", "versions"), Field("hosts", "hosts")};
    }
  } else if (command == "policy") {
    view.rows = list("rules");
    view.columns = {Field("id", "id"),
                    Field("kind", "kind"),
                    Field("pattern", "pattern"),
                    Field("publisher", "publisher"),
                    Field("min_version", "min_version"),
                    Field("max_version", "max_version"),
                    Field("verdict", "verdict"),
                    Field("class", "asset_class"),
                    Field("port", "port"),
                    Field("reason", "reason"),
                    Field("added_by", "added_by"),
                    Time("added_at", "added_at")};
  } else if (command == "check") {
    view.rows = list("problems");
    view.columns = {Field("asset_id", "asset_id"), Field("asset_tag", "asset_tag"),
                    Field("hostname", "hostname"), Field("field", "field"),
                    Field("value", "value"),       Field("reason", "reason")};
  } else if (command == "import") {
    view.rows = list("lines");
    view.columns = With({Field("line", "line"), Field("action", "action"),
                         Field("asset_id", "asset_id"), Field("reason", "reason")},
                        With(ChangesColumn(), {{"kept", [](const json& r) {
                                                  std::string out;
                                                  for (const auto& k : At(r, "kept")) {
                                                    out += (out.empty() ? "" : "; ") + Text(k);
                                                  }
                                                  return out;
                                                }}}));
  } else if (command == "people") {
    view.rows = list("people");
    view.columns = {Field("name", "name"),
                    Field("full_name", "full_name"),
                    Field("email", "email"),
                    Field("department", "department"),
                    Field("owns", "owns"),
                    Field("holds", "holds"),
                    Field("overdue", "overdue"),
                    Field("source", "source"),
                    Time("created_at", "created_at"),
                    Time("updated_at", "updated_at")};
  } else if (command == "class") {
    view.rows = list("classes");
    view.columns = {Field("name", "name"), Field("builtin", "builtin"),
                    Field("depreciation", "depreciation"), Field("verify", "verify")};
  } else if (command == "licence") {
    view.rows = list("licences");
    view.columns = {
        Field("id", "id"),
        {"product", [](const json& r) { return Text(At(r, "product", "pattern")); }},
        {"publisher", [](const json& r) { return Text(At(r, "product", "publisher")); }},
        {"min_version", [](const json& r) { return Text(At(r, "product", "min_version")); }},
        {"max_version", [](const json& r) { return Text(At(r, "product", "max_version")); }},
        Field("metric", "metric"),
        Field("quantity", "quantity"),
        Field("start", "start"),
        Field("end", "end"),
        Field("cost", "cost"),
        Field("vendor", "vendor"),
        Field("po", "purchase_order"),
        Field("contract", "contract"),
        Field("assets", "assets"),
        Field("people", "people"),
        Field("valid", "valid"),
        Field("used", "used"),
        Field("available", "available"),
        Field("status", "status")};
  } else if (command == "contract") {
    view.rows = list("contracts");
    view.columns = {Field("id", "id"),
                    Field("type", "type"),
                    Field("vendor", "vendor"),
                    Field("number", "number"),
                    Field("start", "start"),
                    Field("end", "end"),
                    Field("notice_days", "notice_days"),
                    Field("cost", "cost"),
                    Field("assets", "assets"),
                    Field("active", "active"),
                    Field("days_left", "days_left")};
  } else if (command == "compliance") {
    view.rows = list("products");
    view.columns = {Field("product", "product"),
                    Field("status", "status"),
                    Field("licences", "licences"),
                    Field("metrics", "metrics"),
                    Field("installs", "installs"),
                    Field("entitled", "entitled"),
                    Field("unlimited", "unlimited"),
                    Field("used", "used"),
                    Field("available", "available"),
                    Field("unlicensed_installs", "unlicensed_installs"),
                    Field("covered_hosts", "covered_hosts"),
                    {"unlicensed_hosts", [](const json& r) {
                       std::string out;
                       for (const auto& h : At(r, "unlicensed_hosts")) {
                         out += (out.empty() ? "" : " ") + Text(At(h, "asset_id"));
                       }
                       return out;
                     }}};
  } else if (command == "location") {
    view.rows = list("locations");
    view.columns = {Field("kind", "kind"), Field("switch", "switch"), Field("port", "port"),
                    Field("subnet", "subnet"), Field("path", "path")};
  } else if (command == "audit") {
    // One command, three lists: the audits, a report's assets, a confirmation's codes.
    if (const json* audits = list("audits")) {
      view.rows = audits;
      view.columns = {Field("name", "name"),
                      Field("state", "state"),
                      Field("scope", "scope"),
                      Field("expected", "expected"),
                      Time("started_at", "started_at"),
                      Field("started_by", "started_by"),
                      Time("closed_at", "closed_at"),
                      Field("closed_by", "closed_by"),
                      {"outcome", [](const json& r) {
                         std::string out;
                         for (const auto& [k, v] : At(r, "outcome").items()) {
                           out += (out.empty() ? "" : " ") + k + "=" + Text(v);
                         }
                         return out;
                       }}};
    } else if (const json* assets = list("assets")) {
      view.rows = assets;
      view.columns = {Field("status", "status"),
                      Field("expected", "expected"),
                      Field("asset_id", "asset_id"),
                      Field("code", "code"),
                      Field("asset_tag", "asset_tag"),
                      Field("serial", "serial"),
                      Field("hostname", "hostname"),
                      Field("class", "class"),
                      Field("recorded_location", "recorded_location"),
                      Field("seen_location", "seen_location"),
                      Field("seen_basis", "seen_basis"),
                      Field("evidence", "evidence"),
                      Field("confirmed_by", "confirmed_by"),
                      Time("confirmed_at", "confirmed_at")};
    } else {
      view.rows = list("confirmations");
      view.columns = {Field("line", "line"),         Field("code", "code"),
                      Field("status", "status"),     Field("asset_id", "asset_id"),
                      Field("hostname", "hostname"), Field("location", "location")};
    }
  } else if (command == "value") {
    view.rows = list("totals");
    view.columns = {Field("name", "name"),
                    Field("currency", "currency"),
                    Field("items", "items"),
                    Field("cost", "cost"),
                    Field("book_value", "book_value"),
                    Field("without_cost", "without_cost"),
                    Field("without_purchase_date", "without_purchase_date")};
  }
  if (view.rows == nullptr) {
    return Status::InvalidArgument("`" + command + "` prints no list for --csv or --columns");
  }
  return view;
}

Result<std::vector<ListColumn>> SelectColumns(const ListView& view, const std::string& selection) {
  if (selection.empty()) return view.columns;
  std::vector<std::string> names;
  for (const auto& c : view.columns) names.push_back(c.name);
  std::vector<ListColumn> out;
  for (auto part : Split(selection, ',')) {
    const std::string name(Trim(part));
    bool found = false;
    for (const auto& c : view.columns) {
      if (c.name == name) {
        out.push_back(c);
        found = true;
      }
    }
    if (!found) {
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
      return Status::InvalidArgument("--columns: no column '" + name + "'" +
                                     DidYouMean(name, names) + " (columns: " + list + ")");
    }
  }
  return out;
}

Result<std::string> RenderCsv(const std::string& command, const json& result,
                              const std::string& selection) {
  auto view = ListOf(command, result);
  if (!view.ok()) return view.status();
  auto columns = SelectColumns(*view, selection);
  if (!columns.ok()) return columns.status();
  std::string out;
  for (size_t i = 0; i < columns->size(); ++i) {
    out += (i ? "," : "") + CsvField((*columns)[i].name);
  }
  out += "\r\n";
  for (const auto& row : *view->rows) {
    for (size_t i = 0; i < columns->size(); ++i) {
      out += (i ? "," : "") + CsvField((*columns)[i].value(row));
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace estate::collector
