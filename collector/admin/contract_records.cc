#include "collector/admin/contract_records.h"

#include "collector/admin/money.h"

namespace estate::collector {
namespace {

constexpr char kContractPrefix[] = "contract\0";

template <typename View>
Result<std::vector<v1::Contract>> LoadIn(View& view) {
  std::vector<v1::Contract> out;
  Status bad;
  ESTATE_RETURN_IF_ERROR(
      view.Scan(Table::kSettings, ContractKey(""), [&](std::string_view, std::string_view value) {
        v1::Contract c;
        if (!c.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          bad = Status::Corruption("unparsable contract record");
          return false;
        }
        out.push_back(std::move(c));
        return true;
      }));
  ESTATE_RETURN_IF_ERROR(bad);
  return out;
}

}  // namespace

std::string ContractKey(const std::string& id) {
  return std::string(kContractPrefix, sizeof kContractPrefix - 1) + id;
}

Result<std::vector<v1::Contract>> LoadContracts(Store& store) { return LoadIn(store); }
Result<std::vector<v1::Contract>> LoadContracts(WriteBatch& batch) { return LoadIn(batch); }

bool ContractActive(const v1::Contract& contract, int64_t day) {
  if (auto start = DaysFromIsoDate(contract.start()); start && day < *start) return false;
  if (auto end = DaysFromIsoDate(contract.end()); end && day > *end) return false;
  return true;
}

}  // namespace estate::collector
