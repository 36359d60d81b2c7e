// Money is exact (integer cents), currencies are ISO 4217, and book values
// match examples computed by hand.
#include "collector/admin/money.h"

#include <gtest/gtest.h>

namespace estate::collector {
namespace {

int64_t Day(const char* iso) { return *DaysFromIsoDate(iso); }

TEST(Money, ParsesAmountsAsExactCents) {
  auto m = ParseMoney("1299.5 EUR");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->cents, 129950);
  EXPECT_EQ(m->currency, "EUR");
  EXPECT_EQ(ParseMoney("0.07")->cents, 7);
  EXPECT_EQ(ParseMoney("0.07")->currency, "");
  EXPECT_EQ(ParseMoney("999999999999.99 usd")->cents, 99999999999999);
  EXPECT_EQ(ParseMoney("999999999999.99 usd")->currency, "USD");
  // 0.1 + 0.2 is 0.3 here, a thousand times over.
  int64_t sum = 0;
  for (int i = 0; i < 1000; ++i) sum += ParseMoney("0.1")->cents + ParseMoney("0.2")->cents;
  EXPECT_EQ(FormatCents(sum), "300.00");
}

TEST(Money, RefusesBadAmountsAndUnknownCurrenciesNamingTheField) {
  EXPECT_NE(ParseMoney("-5").status().message().find("cost: '-5' is not an amount"),
            std::string::npos);
  EXPECT_FALSE(ParseMoney("1.234").ok());
  EXPECT_FALSE(ParseMoney("1,50").ok());
  const std::string unknown = ParseMoney("10 USX", "licence cost").status().message();
  EXPECT_NE(unknown.find("licence cost: 'USX' is not an ISO 4217 currency"), std::string::npos)
      << unknown;
}

TEST(Money, FormatsCents) {
  EXPECT_EQ(FormatCents(0), "0.00");
  EXPECT_EQ(FormatCents(5), "0.05");
  EXPECT_EQ(FormatCents(129950), "1299.50");
  EXPECT_EQ(FormatCents(-129950), "-1299.50");
}

TEST(Dates, CountCalendarDays) {
  EXPECT_EQ(Day("1970-01-01"), 0);
  EXPECT_EQ(Day("2024-01-01"), 19723);
  EXPECT_EQ(Day("2028-01-01") - Day("2024-01-01"), 1461);
  EXPECT_EQ(IsoDateFromDays(Day("2026-12-07")), "2026-12-07");
  EXPECT_FALSE(DaysFromIsoDate("2025-02-29").has_value());
  EXPECT_EQ(IsoDateFromDays(AddYears(Day("2024-02-29"), 1)), "2025-02-28");
  EXPECT_EQ(IsoDateFromDays(AddYears(Day("2024-02-29"), 4)), "2028-02-29");
  EXPECT_EQ(DayOfTime(86399), 0);
  EXPECT_EQ(DayOfTime(86400), 1);
}

TEST(BookValue, StraightLineMatchesHandComputedValues) {
  const Depreciation four{Depreciation::Method::kStraightLine, 4};
  const int64_t bought = Day("2024-01-01");  // 1461 days to 2028-01-01
  // Before the purchase and on its day: the whole cost.
  EXPECT_EQ(BookValue(120000, bought, four, Day("2023-12-31")), 120000);
  EXPECT_EQ(BookValue(120000, bought, four, bought), 120000);
  // 2026-01-01: 730 of 1461 days left; 120000 * 730 / 1461 = 59958.93 -> 59959.
  EXPECT_EQ(BookValue(120000, bought, four, Day("2026-01-01")), 59959);
  // The last day: 120000 / 1461 = 82.14 -> 82.
  EXPECT_EQ(BookValue(120000, bought, four, Day("2027-12-31")), 82);
  EXPECT_EQ(BookValue(120000, bought, four, Day("2028-01-01")), 0);
  EXPECT_EQ(BookValue(120000, bought, four, Day("2040-06-01")), 0);
  // A half cent rounds up: 3 cents over 2 days, one day in: 1.5 -> 2.
  EXPECT_EQ(LinearValue(3, 0, 2, 1), 2);
  // No depreciation: the cost, always.
  EXPECT_EQ(BookValue(120000, bought, Depreciation{}, Day("2040-06-01")), 120000);
}

TEST(BookValue, DepreciationMethodsRoundTrip) {
  EXPECT_EQ(FormatDepreciation(*ParseDepreciation("straight-line 5")), "straight-line 5");
  EXPECT_EQ(FormatDepreciation(*ParseDepreciation("none")), "none");
  EXPECT_FALSE(ParseDepreciation("straight-line 0").ok());
  EXPECT_FALSE(ParseDepreciation("declining").ok());
}

}  // namespace
}  // namespace estate::collector
