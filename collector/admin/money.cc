#include "collector/admin/money.h"

#include <algorithm>
#include <regex>

#include "estate/suggest.h"

namespace estate::collector {

const std::vector<std::string>& CurrencyCodes() {
  // ISO 4217 active codes (the 2024 list, without funds and precious metals).
  static const auto* codes = new std::vector<std::string>{
      "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
      "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD",
      "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD",
      "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ",
      "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD",
      "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR",
      "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR",
      "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN",
      "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR",
      "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB",
      "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS",
      "VED", "VES", "VND", "VUV", "WST", "XAF", "XCD", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG"};
  return *codes;
}

Result<Money> ParseMoney(const std::string& text, const std::string& field) {
  static const std::regex kMoney(R"((\d{1,12})(?:\.(\d{1,2}))?(?: ([A-Za-z]{3}))?)");
  std::smatch m;
  if (!std::regex_match(text, m, kMoney)) {
    return Status::InvalidArgument(
        field + ": '" + text +
        "' is not an amount (1299.50, optionally with a currency: 1299.50 EUR)");
  }
  Money money;
  money.cents = std::stoll(m[1]) * 100;
  if (m[2].matched) {
    std::string fraction = m[2];
    if (fraction.size() == 1) fraction += '0';
    money.cents += std::stoll(fraction);
  }
  if (m[3].matched) {
    std::string code = m[3];
    for (auto& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const auto& codes = CurrencyCodes();
    if (!std::binary_search(codes.begin(), codes.end(), code)) {
      return Status::InvalidArgument(field + ": '" + m[3].str() + "' is not an ISO 4217 currency" +
                                     DidYouMean(code, codes));
    }
    money.currency = code;
  }
  return money;
}

std::string FormatCents(int64_t cents) {
  const bool negative = cents < 0;
  const uint64_t abs = negative ? 0 - static_cast<uint64_t>(cents) : static_cast<uint64_t>(cents);
  std::string fraction = std::to_string(abs % 100);
  if (fraction.size() == 1) fraction.insert(0, 1, '0');
  return (negative ? "-" : "") + std::to_string(abs / 100) + "." + fraction;
}

namespace {

// Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

std::optional<int64_t> DaysFromIsoDate(const std::string& date) {
  static const std::regex kDate(R"((\d{4})-(\d{2})-(\d{2}))");
  std::smatch m;
  if (!std::regex_match(date, m, kDate)) return std::nullopt;
  const int64_t y = std::stoi(m[1]);
  const unsigned mo = static_cast<unsigned>(std::stoi(m[2]));
  const unsigned d = static_cast<unsigned>(std::stoi(m[3]));
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1] + (mo == 2 && IsLeap(y) ? 1 : 0)) {
    return std::nullopt;
  }
  return DaysFromCivil(y, mo, d);
}

std::string IsoDateFromDays(int64_t days) {
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

int64_t AddYears(int64_t days, int years) {
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  y += years;
  if (m == 2 && d == 29 && !IsLeap(y)) d = 28;
  return DaysFromCivil(y, m, d);
}

Result<Depreciation> ParseDepreciation(const std::string& text) {
  static const std::regex kStraight(R"(straight-line (\d{1,2}))");
  std::smatch m;
  if (text == "none") return Depreciation{};
  if (std::regex_match(text, m, kStraight)) {
    const int years = std::stoi(m[1]);
    if (years < 1 || years > 50) {
      return Status::InvalidArgument("depreciation: straight-line needs 1 to 50 years");
    }
    return Depreciation{Depreciation::Method::kStraightLine, years};
  }
  return Status::Corruption("depreciation: unreadable stored method '" + text + "'");
}

std::string FormatDepreciation(const Depreciation& d) {
  if (d.method == Depreciation::Method::kNone) return "none";
  return "straight-line " + std::to_string(d.years);
}

int64_t LinearValue(int64_t cost_cents, int64_t start, int64_t end, int64_t at) {
  if (at < start || end <= start) return cost_cents;
  if (at >= end) return 0;
  // Exact: the product fits 128 bits; half a cent rounds up.
  const __int128 numerator = static_cast<__int128>(cost_cents) * (end - at) * 2 + (end - start);
  return static_cast<int64_t>(numerator / (2 * static_cast<__int128>(end - start)));
}

int64_t BookValue(int64_t cost_cents, int64_t purchase, const Depreciation& d, int64_t at) {
  if (d.method == Depreciation::Method::kNone) return cost_cents;
  return LinearValue(cost_cents, purchase, AddYears(purchase, d.years), at);
}

}  // namespace estate::collector
