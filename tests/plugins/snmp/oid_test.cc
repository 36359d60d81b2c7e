#include "plugins/snmp/oid.h"

#include <gtest/gtest.h>

namespace estate::plugins::snmp {
namespace {

TEST(Oid, ParsesDottedFormsWithAndWithoutLeadingDot) {
  EXPECT_EQ(Oid::Parse(".1.3.6.1.2.1"), (Oid{1, 3, 6, 1, 2, 1}));
  EXPECT_EQ(Oid::Parse("1.3.6.1"), (Oid{1, 3, 6, 1}));
  EXPECT_EQ(Oid::Parse("iso.3.6.1"), (Oid{1, 3, 6, 1}));
}

TEST(Oid, RejectsGarbageEmptyArcsAndOverflow) {
  EXPECT_FALSE(Oid::Parse(""));
  EXPECT_FALSE(Oid::Parse("1..3"));
  EXPECT_FALSE(Oid::Parse("1.3."));
  EXPECT_FALSE(Oid::Parse("1.x.3"));
  EXPECT_FALSE(Oid::Parse("1.99999999999"));
}

TEST(Oid, OrdersByArcNotByText) {
  EXPECT_LT((Oid{1, 3, 6, 1, 2}), (Oid{1, 3, 6, 1, 10}));
  EXPECT_LT((Oid{1, 3, 6}), (Oid{1, 3, 6, 0}));
  EXPECT_TRUE((Oid{1, 3, 6, 1}).StartsWith(Oid{1, 3}));
  EXPECT_FALSE((Oid{1, 3}).StartsWith(Oid{1, 3, 6}));
  EXPECT_EQ((Oid{1, 3, 6, 1, 7, 8}).SuffixAfter(Oid{1, 3, 6, 1}), (std::vector<uint32_t>{7, 8}));
}

}  // namespace
}  // namespace estate::plugins::snmp
