#include "collector/admin/commands/estate_value.h"

#include "collector/admin/contract_records.h"
#include "collector/admin/licence_compliance.h"

namespace estate::collector {
namespace {

// A record's cost amortised over its term; a record without both dates (a
// perpetual licence) keeps its cost.
void AddTerm(Valuation& valuation, const std::string& kind, const std::string& cost,
             const std::string& start, const std::string& end) {
  if (cost.empty()) return;
  auto money = ParseMoney(cost);
  if (!money.ok()) return;  // checked when set
  auto from = DaysFromIsoDate(start), to = DaysFromIsoDate(end);
  valuation.AddItem(kind, *money, from ? *from : 0, from && to ? *to + 1 : 0, "", "");
}

}  // namespace

Status AddLicencesAndContracts(Store& store, Valuation& valuation) {
  auto licences = LoadLicences(store);
  if (!licences.ok()) return licences.status();
  for (const auto& l : *licences) AddTerm(valuation, "licence", l.cost(), l.start(), l.end());
  auto contracts = LoadContracts(store);
  if (!contracts.ok()) return contracts.status();
  for (const auto& c : *contracts) AddTerm(valuation, "contract", c.cost(), c.start(), c.end());
  return Status::Ok();
}

Result<Valuation> ValueEstate(Store& store, Ingestor& ingestor, const AssetFilter& filter,
                              int64_t at_day) {
  auto methods = LoadDepreciation(store);
  if (!methods.ok()) return methods.status();
  Valuation valuation(std::move(*methods), at_day);
  Status failure;
  v1::Asset a;
  ESTATE_RETURN_IF_ERROR(store.Scan(Table::kAssets, "", [&](std::string_view, std::string_view v) {
    if (!a.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
      failure = Status::Corruption("unparsable asset record");
      return false;
    }
    if (!filter.Matches(a)) return true;
    if (filter.NeedsFacts()) {
      auto has = filter.HasSoftware(store, ingestor.software().catalogue(), a.id());
      if (!has.ok()) {
        failure = has.status();
        return false;
      }
      if (!*has) return true;
    }
    valuation.AddAsset(a);
    return true;
  }));
  ESTATE_RETURN_IF_ERROR(failure);
  if (filter.Empty()) ESTATE_RETURN_IF_ERROR(AddLicencesAndContracts(store, valuation));
  return valuation;
}

}  // namespace estate::collector
