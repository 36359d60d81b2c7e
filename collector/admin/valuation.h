// Valuation: what the estate cost and what it is worth on a day, totalled by
// asset class, department, location and owner, one row per currency (amounts
// in different currencies are never added). Book values follow the
// depreciation method set per class (`estatectl class set`). Licences and
// contracts join the totals as items of their own kind, amortised over their
// term. Not thread-safe; one per request.
#ifndef ESTATE_COLLECTOR_ADMIN_VALUATION_H_
#define ESTATE_COLLECTOR_ADMIN_VALUATION_H_

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "collector/admin/money.h"
#include "collector/store/store.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

// The kSettings key of a class's depreciation method: "depreciation\0<class>".
std::string DepreciationKey(const std::string& asset_class);
// Every class's method; classes not set depreciate by `none`.
Result<std::map<std::string, Depreciation>> LoadDepreciation(Store& store);
Result<std::map<std::string, Depreciation>> LoadDepreciation(WriteBatch& batch);

// The groupings totals are made by, in the order `report` shows them.
const std::vector<std::string>& ValuationGroupings();

class Valuation {
 public:
  Valuation(std::map<std::string, Depreciation> methods, int64_t at_day)
      : methods_(std::move(methods)), at_day_(at_day) {}

  // Counts an asset (disposed and merged records are not owned: skipped).
  void AddAsset(const v1::Asset& asset);
  // A licence or contract: its cost amortised from `start` to `end` (days;
  // end <= start: not amortised). It belongs to class `kind` and to the owner
  // and department given, if any.
  void AddItem(const std::string& kind, const Money& cost, int64_t start, int64_t end,
               const std::string& owner, const std::string& department);

  // Rows {name, currency, items, cost, book_value, without_cost,
  // without_purchase_date} of grouping `by`, largest cost first.
  nlohmann::json Rows(const std::string& by) const;
  // One row per currency over everything.
  nlohmann::json Total() const;
  int64_t at_day() const { return at_day_; }

 private:
  struct Sum {
    uint64_t items = 0, without_cost = 0, without_purchase_date = 0;
    int64_t cost = 0, book = 0;
  };
  void Add(const std::string& by, const std::string& name, const std::string& currency,
           const Sum& one);

  std::map<std::string, Depreciation> methods_;
  int64_t at_day_;
  // (grouping, name, currency) -> sum; grouping "" is the total.
  std::map<std::tuple<std::string, std::string, std::string>, Sum> sums_;
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_VALUATION_H_
