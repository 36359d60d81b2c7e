#include "collector/admin/attribute_schema.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>

#include "collector/admin/money.h"
#include "collector/reconcile/lifecycle.h"
#include "estate/suggest.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

constexpr char kClassSettingPrefix[] = "class\0";
constexpr size_t kMaxValueBytes = 4096;

bool IsLeap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

}  // namespace

const std::vector<std::string>& AttributeKeys() {
  static const auto* keys =
      new std::vector<std::string>{"owner",         "location",     "department", "cost",
                                   "purchase_date", "warranty_end", "asset_tag",  "notes"};
  return *keys;
}

bool IsIsoDate(const std::string& text) {
  static const std::regex kDate(R"((\d{4})-(\d{2})-(\d{2}))");
  std::smatch m;
  if (!std::regex_match(text, m, kDate)) return false;
  const int year = std::stoi(m[1]), month = std::stoi(m[2]), day = std::stoi(m[3]);
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  const int last = kDays[month - 1] + (month == 2 && IsLeap(year) ? 1 : 0);
  return day <= last;
}

bool IsCost(const std::string& text) {
  static const std::regex kCost(R"(\d{1,12}(\.\d{1,2})?( [A-Z]{3})?)");
  return std::regex_match(text, kCost);
}

Status CheckAttribute(const std::string& key, const std::string& value) {
  static const std::regex kCustom("x-[a-z0-9][a-z0-9_.-]{0,61}");
  const auto& keys = AttributeKeys();
  const bool builtin = std::find(keys.begin(), keys.end(), key) != keys.end();
  if (!builtin && !std::regex_match(key, kCustom)) {
    return Status::InvalidArgument("unknown attribute '" + key + "'" + DidYouMean(key, keys) +
                                   "; attributes are " +
                                   [&] {
                                     std::string list;
                                     for (const auto& k : keys) list += k + ", ";
                                     return list;
                                   }() +
                                   "class, or x-NAME for your own");
  }
  if (value.size() > kMaxValueBytes) {
    return Status::InvalidArgument(key + ": value longer than 4096 bytes");
  }
  for (unsigned char c : value) {
    if (c < 0x20 || c == 0x7f) {
      return Status::InvalidArgument(key + ": control characters are not allowed");
    }
  }
  if (value.empty()) return Status::Ok();  // removes the attribute
  if ((key == "purchase_date" || key == "warranty_end") && !IsIsoDate(value)) {
    return Status::InvalidArgument(key + ": '" + value + "' is not a real date (YYYY-MM-DD)");
  }
  if (key == "cost") {
    // Also refuses a currency ISO 4217 does not know (1299.50 EUD).
    if (auto money = ParseMoney(value, key); !money.ok()) return money.status();
  }
  if (key == "asset_tag" && Trim(value) != value) {
    return Status::InvalidArgument("asset_tag: leading or trailing spaces");
  }
  return Status::Ok();
}

const std::vector<std::string>& BuiltinClasses() {
  // What discovery assigns (asset_summary.cc, device_classifier.cc) and the
  // common hand-registered kinds.
  static const auto* classes = new std::vector<std::string>{
      "laptop",  "workstation", "server", "virtual_machine", "network",  "printer", "ups", "phone",
      "monitor", "tablet",      "dock",   "peripheral",      "container"};
  return *classes;
}

std::string ClassSettingKey(const std::string& name) {
  return std::string(kClassSettingPrefix, sizeof kClassSettingPrefix - 1) + name;
}

namespace {

template <typename View>
Result<std::vector<std::string>> ClassesIn(View& view) {
  std::vector<std::string> classes = BuiltinClasses();
  const std::string prefix = ClassSettingKey("");
  ESTATE_RETURN_IF_ERROR(
      view.Scan(Table::kSettings, prefix, [&](std::string_view key, std::string_view) {
        classes.emplace_back(key.substr(prefix.size()));
        return true;
      }));
  return classes;
}

}  // namespace

Result<std::vector<std::string>> KnownClasses(Store& store) { return ClassesIn(store); }
Result<std::vector<std::string>> KnownClasses(WriteBatch& batch) { return ClassesIn(batch); }

std::vector<AttributeProblem> CheckStoredAsset(const v1::Asset& asset,
                                               const std::vector<std::string>& known_classes) {
  std::vector<AttributeProblem> problems;
  auto add = [&](const std::string& field, const std::string& value, const Status& status) {
    if (status.ok()) return;
    std::string reason = status.message();
    if (StartsWith(reason, field + ": ")) reason.erase(0, field.size() + 2);
    problems.push_back({field, value, std::move(reason)});
  };
  // In key order, so a report lists them the same way every time.
  std::map<std::string, std::string> attributes(asset.attributes().begin(),
                                                asset.attributes().end());
  for (const auto& [key, value] : attributes) add(key, value, CheckAttribute(key, value));
  if (!asset.asset_class().empty()) {
    add("class", asset.asset_class(), CheckClass(known_classes, asset.asset_class()));
  }
  if (!asset.state().empty()) {
    const auto states = lifecycle::States();
    if (std::find(states.begin(), states.end(), asset.state()) == states.end()) {
      add("state", asset.state(),
          Status::InvalidArgument("'" + asset.state() + "' is not a lifecycle state"));
    }
  }
  return problems;
}

Status CheckClass(const std::vector<std::string>& known, const std::string& name) {
  if (std::find(known.begin(), known.end(), name) != known.end()) return Status::Ok();
  std::string list;
  for (const auto& c : known) list += (list.empty() ? "" : ", ") + c;
  return Status::InvalidArgument("class: '" + name + "' is not a known class" +
                                 DidYouMean(name, known) + " (" + list +
                                 "; add one with `estatectl class add NAME`)");
}

}  // namespace estate::collector
