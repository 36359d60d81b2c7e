#include "agent/collectors/ids_database.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "estate/host_root.h"
#include "tests/agent/fixture_paths.h"
#include "tests/agent/temp_dir.h"

namespace estate::agent {
namespace {

using testing::TempDir;

TEST(IdsDatabase, ReadingTheFileInChunksFindsWhatParsingItWholeFinds) {
  const std::string path = testing::RootPath("ws-debian12") + "/usr/share/misc/pci.ids";
  auto text = HostRoot("/").ReadFile(path);
  ASSERT_TRUE(text.ok());
  const std::set<std::string> vendors = {"8086", "10ec", "1af4"};
  const IdsDatabase whole = IdsDatabase::Parse(*text, vendors);
  auto streamed = IdsDatabase::ParseFile(path, vendors);
  ASSERT_TRUE(streamed.ok()) << streamed.status().ToString();
  EXPECT_FALSE(whole.Vendor("8086").empty());
  for (const char* v : {"8086", "10ec", "1af4"}) EXPECT_EQ(streamed->Vendor(v), whole.Vendor(v));
  EXPECT_EQ(streamed->Class("02", "00"), whole.Class("02", "00"));
  EXPECT_EQ(streamed->Device("8086", "1533"), whole.Device("8086", "1533"));
  EXPECT_FALSE(IdsDatabase::ParseFile(path + ".missing", vendors).ok());
}

TEST(IdsDatabase, LinesSplitBetweenChunksAreReadWhole) {
  // Far more than one read buffer, so that lines straddle chunk boundaries.
  std::string text;
  std::set<std::string> vendors;
  char line[64];
  for (int v = 0; v < 0x6000; ++v) {
    std::snprintf(line, sizeof line, "%04x  Vendor number %d\n\t%04x  Device of %d\n", v, v, v, v);
    text += line;
    if (v % 97 == 0) vendors.insert(std::string(line, 4));
  }
  TempDir dir;
  const std::string path = dir.path() + "/big.ids";
  std::ofstream(path) << text;
  const IdsDatabase whole = IdsDatabase::Parse(text, vendors);
  auto streamed = IdsDatabase::ParseFile(path, vendors);
  ASSERT_TRUE(streamed.ok());
  for (const auto& v : vendors) {
    ASSERT_FALSE(whole.Vendor(v).empty()) << v;
    EXPECT_EQ(streamed->Vendor(v), whole.Vendor(v)) << v;
    EXPECT_EQ(streamed->Device(v, v), whole.Device(v, v)) << v;
  }
}

}  // namespace
}  // namespace estate::agent
