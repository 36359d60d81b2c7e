#include "agent/collectors/monitor_collector.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "agent/collectors/edid.h"
#include "tests/agent/fixture_paths.h"
#include "tests/agent/temp_dir.h"

namespace estate::agent {
namespace {

using testing::FixturePath;
using testing::RootPath;
using testing::TempDir;

std::string ReadBlob(const std::string& name) {
  std::ifstream in(FixturePath("third_party/linuxhw-edid/" + name), std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// Expected values: edid-decode's decode beside each hex dump in linuxhw/EDID.
TEST(ParseEdid, ReadsADesktopMonitorWithATextSerial) {
  auto edid = ParseEdid(ReadBlob("DEL2005-03830D42C4D4.bin"));
  ASSERT_TRUE(edid.ok()) << edid.status().ToString();
  EXPECT_EQ(edid->manufacturer_id, "DEL");
  EXPECT_EQ(edid->product_code, 8197u);
  EXPECT_EQ(edid->Model(), "D1918H");
  EXPECT_EQ(edid->numeric_serial, 0x01010101u);
  EXPECT_EQ(edid->Serial(), "KYJ231716UHE");
  EXPECT_EQ(edid->week, 27u);
  EXPECT_EQ(edid->year, 2021u);
  EXPECT_EQ(edid->width_mm, 410u);
  EXPECT_EQ(edid->height_mm, 230u);
  EXPECT_EQ(edid->width_px, 1366u);
  EXPECT_EQ(edid->height_px, 768u);
  EXPECT_EQ(edid->version, 1);
  EXPECT_EQ(edid->revision, 3);
}

TEST(ParseEdid, NamesALaptopPanelByItsPartNumber) {
  auto edid = ParseEdid(ReadBlob("LGD0217-925C880E8A08.bin"));
  ASSERT_TRUE(edid.ok()) << edid.status().ToString();
  EXPECT_EQ(edid->manufacturer_id, "LGD");
  EXPECT_EQ(edid->product_code, 535u);
  EXPECT_EQ(edid->product_name, "");
  EXPECT_EQ(edid->Model(), "LP133WH2-TLA2");
  EXPECT_EQ(edid->Serial(), "");  // neither a text nor a numeric serial
  EXPECT_EQ(edid->week, 0u);
  EXPECT_EQ(edid->year, 2009u);
  EXPECT_EQ(edid->width_mm, 293u);
  EXPECT_EQ(edid->height_mm, 165u);
}

TEST(ParseEdid, ReadsAWideMonitorsProductNameAndSerial) {
  auto edid = ParseEdid(ReadBlob("SAM0F9A-8C67B1A81DF0.bin"));
  ASSERT_TRUE(edid.ok()) << edid.status().ToString();
  EXPECT_EQ(edid->manufacturer_id, "SAM");
  EXPECT_EQ(edid->product_code, 3994u);
  EXPECT_EQ(edid->Model(), "C49RG9x");
  EXPECT_EQ(edid->Serial(), "HTRM800629");
  EXPECT_EQ(edid->week, 34u);
  EXPECT_EQ(edid->year, 2019u);
  EXPECT_EQ(edid->width_mm, 1193u);
  EXPECT_EQ(edid->height_mm, 336u);
  EXPECT_EQ(edid->width_px, 3840u);
  EXPECT_EQ(edid->height_px, 1080u);
}

TEST(ParseEdid, FallsBackToTheNumericSerialWhenTheTextOneIsAPlaceholder) {
  auto edid = ParseEdid(ReadBlob("DEL0001-84487DA0B0F6.bin"));
  ASSERT_TRUE(edid.ok()) << edid.status().ToString();
  EXPECT_EQ(edid->text_serial, "0000000000000");
  EXPECT_EQ(edid->Serial(), "2");
  EXPECT_EQ(edid->Model(), "DELL IDRAC");
  EXPECT_EQ(edid->width_mm, 340u);  // no detailed timing: the base block's 34 x 27 cm
  EXPECT_EQ(edid->height_mm, 270u);
  EXPECT_EQ(edid->width_px, 0u);
}

TEST(ParseEdid, RejectsTruncatedHeaderlessAndCorruptBlocks) {
  const std::string good = ReadBlob("DEL2005-03830D42C4D4.bin");
  EXPECT_EQ(ParseEdid(good.substr(0, 100)).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(ParseEdid("").status().code(), Status::Code::kInvalidArgument);
  std::string headerless = good;
  headerless[0] = 0x01;
  EXPECT_EQ(ParseEdid(headerless).status().code(), Status::Code::kInvalidArgument);
  std::string flipped = good;
  flipped[0x60] ^= 0x10;  // one bit of the product name
  EXPECT_EQ(ParseEdid(flipped).status().code(), Status::Code::kCorruption);
}

TEST(ParsePnpIds, KeepsOnlyTheWantedIds) {
  auto names = ParsePnpIds("AAA\tAvolites Ltd\nDEL\tDell Inc.\nbad line\nSAM\tSamsung\n", {"DEL"});
  EXPECT_EQ(names, (std::map<std::string, std::string>{{"DEL", "Dell Inc."}}));
}

TEST(MonitorCollector, ListsEveryConnectedDisplayOfTheLaptop) {
  CollectContext context{HostRoot(RootPath("endpoint-laptop")), nullptr, false, {}};
  v1::HostFacts facts;
  MakeMonitorCollector()->Collect(context, &facts);
  EXPECT_EQ(facts.warnings_size(), 0) << facts.warnings(0);
  ASSERT_EQ(facts.monitors_size(), 3);  // DP-2 has an empty EDID: nothing plugged in
  const auto& samsung = facts.monitors(0);
  EXPECT_EQ(samsung.connector(), "card0-DP-1");
  EXPECT_EQ(samsung.manufacturer(), "Samsung Electric Company");
  EXPECT_EQ(samsung.model(), "C49RG9x");
  EXPECT_EQ(samsung.serial(), "HTRM800629");
  EXPECT_DOUBLE_EQ(samsung.diagonal_inches(), 48.8);
  EXPECT_EQ(samsung.resolution(), "3840x1080");
  const auto& dell = facts.monitors(1);
  EXPECT_EQ(dell.connector(), "card0-HDMI-A-1");
  EXPECT_EQ(dell.manufacturer_id(), "DEL");
  EXPECT_EQ(dell.manufacturer(), "Dell Inc.");
  EXPECT_EQ(dell.product_code(), 8197u);
  EXPECT_EQ(dell.serial(), "KYJ231716UHE");
  EXPECT_EQ(dell.week(), 27u);
  EXPECT_EQ(dell.year(), 2021u);
  EXPECT_DOUBLE_EQ(dell.diagonal_inches(), 18.5);
  EXPECT_EQ(dell.edid_version(), "1.3");
  const auto& panel = facts.monitors(2);
  EXPECT_EQ(panel.connector(), "card0-eDP-1");
  EXPECT_EQ(panel.manufacturer(), "LG Display");
  EXPECT_EQ(panel.model(), "LP133WH2-TLA2");
  EXPECT_EQ(panel.serial(), "");
  EXPECT_EQ(panel.width_mm(), 293u);
  EXPECT_EQ(panel.height_mm(), 165u);
}

TEST(MonitorCollector, WarnsAboutACorruptEdidAndKeepsTheOtherMonitors) {
  TempDir dir;
  const std::string drm = dir.path() + "/sys/class/drm/";
  std::filesystem::create_directories(drm + "card1-DP-1");
  std::filesystem::create_directories(drm + "card1-DP-2");
  const std::string good = ReadBlob("DEL2005-03830D42C4D4.bin");
  std::ofstream(drm + "card1-DP-1/edid", std::ios::binary) << good.substr(0, 90);  // mid-read
  std::ofstream(drm + "card1-DP-2/edid", std::ios::binary) << good;
  CollectContext context{HostRoot(dir.path()), nullptr, false, {}};
  v1::HostFacts facts;
  MakeMonitorCollector()->Collect(context, &facts);
  ASSERT_EQ(facts.monitors_size(), 1);
  EXPECT_EQ(facts.monitors(0).serial(), "KYJ231716UHE");
  EXPECT_EQ(facts.monitors(0).manufacturer(), "DEL");  // no pnp.ids on this root
  ASSERT_EQ(facts.warnings_size(), 2);
  EXPECT_NE(facts.warnings(0).find("card1-DP-1/edid"), std::string::npos) << facts.warnings(0);
  EXPECT_NE(facts.warnings(1).find("pnp.ids"), std::string::npos) << facts.warnings(1);
}

}  // namespace
}  // namespace estate::agent
