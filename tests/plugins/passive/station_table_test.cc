#include "plugins/passive/station_table.h"

#include <gtest/gtest.h>

namespace estate::plugins {
namespace {

const MacBytes kA{0x00, 0x16, 0x3e, 0, 0, 1};
const MacBytes kB{0x00, 0x16, 0x3e, 0, 0, 2};
const MacBytes kC{0x00, 0x16, 0x3e, 0, 0, 3};

TEST(StationTable, ReportsANewStationOnce) {
  StationTable t;
  EXPECT_EQ(t.Observe(1, kA, 100).change, StationChange::kNewStation);
  EXPECT_EQ(t.Observe(1, kA, 200).change, StationChange::kNone);
  EXPECT_EQ(t.size(), 1u);
}

TEST(StationTable, ReportsAChangedMacWithThePreviousOne) {
  StationTable t;
  (void)t.Observe(1, kA, 100);
  const StationEvent e = t.Observe(1, kB, 200);
  EXPECT_EQ(e.change, StationChange::kChangedMac);
  EXPECT_EQ(e.previous_mac, kA);
  EXPECT_EQ(e.first_seen, 100);
}

TEST(StationTable, ReportsAFlipFlopBackToTheMacBefore) {
  StationTable t;
  (void)t.Observe(1, kA, 100);
  (void)t.Observe(1, kB, 200);
  const StationEvent e = t.Observe(1, kA, 300);
  EXPECT_EQ(e.change, StationChange::kFlipFlop);
  EXPECT_EQ(e.previous_mac, kB);
  EXPECT_EQ(t.Observe(1, kC, 400).change, StationChange::kChangedMac);
}

TEST(StationTable, KeepsAddressesApart) {
  StationTable t;
  EXPECT_EQ(t.Observe(1, kA, 100).change, StationChange::kNewStation);
  EXPECT_EQ(t.Observe(2, kA, 100).change, StationChange::kNewStation);
  EXPECT_STREQ(StationChangeFlag(StationChange::kFlipFlop), "flip_flop");
}

}  // namespace
}  // namespace estate::plugins
