#include "collector/admin/valuation.h"

#include <algorithm>

#include "collector/reconcile/lifecycle.h"

namespace estate::collector {
namespace {

constexpr char kDepreciationPrefix[] = "depreciation\0";
constexpr char kNone[] = "(none)";

std::string Attribute(const v1::Asset& asset, const char* key) {
  auto it = asset.attributes().find(key);
  return it == asset.attributes().end() || it->second.empty() ? kNone : it->second;
}

}  // namespace

std::string DepreciationKey(const std::string& asset_class) {
  return std::string(kDepreciationPrefix, sizeof kDepreciationPrefix - 1) + asset_class;
}

namespace {

template <typename View>
Result<std::map<std::string, Depreciation>> LoadDepreciationIn(View& view) {
  std::map<std::string, Depreciation> out;
  const std::string prefix = DepreciationKey("");
  Status bad;
  ESTATE_RETURN_IF_ERROR(
      view.Scan(Table::kSettings, prefix, [&](std::string_view key, std::string_view value) {
        auto d = ParseDepreciation(std::string(value));
        if (!d.ok()) {
          bad = d.status();
          return false;
        }
        out.emplace(std::string(key.substr(prefix.size())), *d);
        return true;
      }));
  ESTATE_RETURN_IF_ERROR(bad);
  return out;
}

}  // namespace

Result<std::map<std::string, Depreciation>> LoadDepreciation(Store& store) {
  return LoadDepreciationIn(store);
}
Result<std::map<std::string, Depreciation>> LoadDepreciation(WriteBatch& batch) {
  return LoadDepreciationIn(batch);
}

const std::vector<std::string>& ValuationGroupings() {
  static const auto* by = new std::vector<std::string>{"class", "department", "location", "owner"};
  return *by;
}

void Valuation::Add(const std::string& by, const std::string& name, const std::string& currency,
                    const Sum& one) {
  Sum& s = sums_[{by, name, currency}];
  s.items += one.items;
  s.without_cost += one.without_cost;
  s.without_purchase_date += one.without_purchase_date;
  s.cost += one.cost;
  s.book += one.book;
}

void Valuation::AddAsset(const v1::Asset& asset) {
  if (!asset.merged_into().empty() || asset.state() == lifecycle::kDisposed) return;
  Sum one;
  one.items = 1;
  std::string currency;
  auto cost = asset.attributes().find("cost");
  std::optional<Money> money;
  if (cost != asset.attributes().end() && !cost->second.empty()) {
    // Stored values were checked when set; one that no longer parses (an older
    // store) counts as without cost rather than as a wrong amount.
    if (auto parsed = ParseMoney(cost->second); parsed.ok()) money = *parsed;
  }
  if (!money) {
    one.without_cost = 1;
  } else {
    currency = money->currency;
    one.cost = money->cents;
    auto method = methods_.find(asset.asset_class());
    const Depreciation d = method == methods_.end() ? Depreciation{} : method->second;
    auto purchase = asset.attributes().find("purchase_date");
    std::optional<int64_t> day;
    if (purchase != asset.attributes().end()) day = DaysFromIsoDate(purchase->second);
    if (day) {
      one.book = BookValue(money->cents, *day, d, at_day_);
    } else {
      // Without a purchase date the age is unknown: valued at cost, and counted.
      one.book = money->cents;
      if (d.method != Depreciation::Method::kNone) one.without_purchase_date = 1;
    }
  }
  Add("", "", currency, one);
  Add("class", asset.asset_class().empty() ? kNone : asset.asset_class(), currency, one);
  Add("department", Attribute(asset, "department"), currency, one);
  std::string location = Attribute(asset, "location");
  if (location == kNone && !asset.location().switch_name().empty()) {
    location = asset.location().switch_name();
  }
  Add("location", location, currency, one);
  Add("owner", Attribute(asset, "owner"), currency, one);
}

void Valuation::AddItem(const std::string& kind, const Money& cost, int64_t start, int64_t end,
                        const std::string& owner, const std::string& department) {
  Sum one;
  one.items = 1;
  one.cost = cost.cents;
  one.book = end > start ? LinearValue(cost.cents, start, end, at_day_) : cost.cents;
  Add("", "", cost.currency, one);
  Add("class", kind, cost.currency, one);
  Add("department", department.empty() ? kNone : department, cost.currency, one);
  Add("location", kNone, cost.currency, one);
  Add("owner", owner.empty() ? kNone : owner, cost.currency, one);
}

namespace {

nlohmann::json Row(const std::string& name, const std::string& currency, uint64_t items,
                   int64_t cost, int64_t book, uint64_t without_cost, uint64_t undated) {
  return {{"name", name},
          {"currency", currency},
          {"items", items},
          {"cost", FormatCents(cost)},
          {"book_value", FormatCents(book)},
          {"without_cost", without_cost},
          {"without_purchase_date", undated}};
}

}  // namespace

nlohmann::json Valuation::Rows(const std::string& by) const {
  struct Line {
    std::string name, currency;
    Sum sum;
  };
  std::vector<Line> lines;
  for (const auto& [key, sum] : sums_) {
    if (std::get<0>(key) == by) lines.push_back({std::get<1>(key), std::get<2>(key), sum});
  }
  std::stable_sort(lines.begin(), lines.end(),
                   [](const Line& a, const Line& b) { return a.sum.cost > b.sum.cost; });
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& l : lines) {
    rows.push_back(Row(l.name, l.currency, l.sum.items, l.sum.cost, l.sum.book, l.sum.without_cost,
                       l.sum.without_purchase_date));
  }
  return rows;
}

nlohmann::json Valuation::Total() const { return Rows(""); }

}  // namespace estate::collector
