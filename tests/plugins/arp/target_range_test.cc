#include "plugins/arp/target_range.h"

#include <gtest/gtest.h>

#include "plugins/passive/link_layer.h"

namespace estate::plugins {
namespace {

TEST(TargetRange, ParsesDottedQuads) {
  EXPECT_EQ(ParseIpv4("198.18.0.1"), 0xc6120001u);
  EXPECT_FALSE(ParseIpv4("198.18.0").has_value());
  EXPECT_FALSE(ParseIpv4("198.18.0.256").has_value());
  EXPECT_FALSE(ParseIpv4("198.18..1").has_value());
  EXPECT_FALSE(ParseIpv4("198.18.0.1.2").has_value());
}

TEST(TargetRange, LeavesNetworkAndBroadcastOutOfABlock) {
  auto t = ExpandTarget("198.18.0.0/24");
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->size(), 254u);
  EXPECT_EQ(FormatIpv4(t->front()), "198.18.0.1");
  EXPECT_EQ(FormatIpv4(t->back()), "198.18.0.254");
}

TEST(TargetRange, KeepsBothAddressesOfAPointToPointBlock) {
  auto t = ExpandTarget("198.18.0.6/31");
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->size(), 2u);
  EXPECT_EQ(FormatIpv4((*t)[0]), "198.18.0.6");
}

TEST(TargetRange, AcceptsASixteenButNothingLarger) {
  auto t = ExpandTarget("198.19.0.0/16");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->size(), 65534u);
  auto too_big = ExpandTarget("198.18.0.0/15");
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.status().code(), Status::Code::kInvalidArgument);
  EXPECT_FALSE(ExpandTarget("10.0.0.0-10.1.0.0").ok());
}

TEST(TargetRange, ExpandsRangesAndSingleAddresses) {
  auto t = ExpandTargets({"198.18.0.9-198.18.0.11", "198.18.0.10", "198.18.0.1"});
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->size(), 4u);  // sorted, the duplicate removed
  EXPECT_EQ(FormatIpv4((*t)[0]), "198.18.0.1");
  EXPECT_EQ(FormatIpv4((*t)[3]), "198.18.0.11");
}

TEST(TargetRange, RefusesWhatIsNotATarget) {
  for (const char* bad :
       {"", "eth0", "198.18.0.0/33", "198.18.0.0/", "198.18.0.5-198.18.0.1", "198.18.0.0/24x"}) {
    EXPECT_FALSE(ExpandTarget(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace estate::plugins
