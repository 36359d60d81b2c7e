// Money for the ITAM records: amounts as exact integer hundredths with an ISO
// 4217 currency (never a double, so totals of a thousand invoices add up to
// the cent), calendar days for purchase and contract dates, and straight-line
// depreciation. Pure functions; thread-safe.
#ifndef ESTATE_COLLECTOR_ADMIN_MONEY_H_
#define ESTATE_COLLECTOR_ADMIN_MONEY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "estate/status.h"

namespace estate::collector {

struct Money {
  int64_t cents = 0;     // hundredths of the currency unit
  std::string currency;  // ISO 4217 code; empty when the record names none
};

// The ISO 4217 codes in use, sorted.
const std::vector<std::string>& CurrencyCodes();
// "1299", "1299.5", "1299.50 EUR" (attribute_schema's IsCost form). An unknown
// currency is an error naming the nearest code; `field` names the field.
Result<Money> ParseMoney(const std::string& text, const std::string& field = "cost");
// "1299.50" (no currency).
std::string FormatCents(int64_t cents);

// Days since 1970-01-01 of an ISO date "YYYY-MM-DD" (the day it starts).
std::optional<int64_t> DaysFromIsoDate(const std::string& date);
std::string IsoDateFromDays(int64_t days);
// The day `years` calendar years after `days` (29 February to 28 February).
int64_t AddYears(int64_t days, int years);
// The UTC day of Unix time `seconds`.
inline int64_t DayOfTime(int64_t seconds) {
  return seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
}

// How an asset class loses value: not at all, or linearly to zero over
// `years` whole years from the purchase date.
struct Depreciation {
  enum class Method { kNone, kStraightLine } method = Method::kNone;
  int years = 0;
};
inline constexpr const char* kDepreciationMethods[] = {"none", "straight-line"};
// "none" or "straight-line 5", as stored under the class.
Result<Depreciation> ParseDepreciation(const std::string& text);
std::string FormatDepreciation(const Depreciation& d);

// Straight-line value of `cost` bought on day `start` over `end - start`
// days, on day `at`: the whole cost before `start`, nothing from `end` on,
// cost * (end - at) / (end - start) in between, rounded half up to the cent.
int64_t LinearValue(int64_t cost_cents, int64_t start, int64_t end, int64_t at);
// The book value on day `at` of an asset bought on `purchase` for `cost`.
int64_t BookValue(int64_t cost_cents, int64_t purchase, const Depreciation& d, int64_t at);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_MONEY_H_
