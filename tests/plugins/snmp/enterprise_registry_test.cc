#include "plugins/snmp/enterprise_registry.h"

#include <gtest/gtest.h>

namespace estate::plugins::snmp {
namespace {

TEST(EnterpriseRegistry, LooksUpNamesWithoutTheirContactNote) {
  auto reg = EnterpriseRegistry::Parse(
      "# comment\n"
      "\n"
      "9\tciscoSystems\n"
      "2\tIBM (https://w3.ibm.com/standards )\n"
      "11863  TP-Link Systems Inc.\n"
      "bogus line\n");
  EXPECT_EQ(reg.size(), 3u);
  EXPECT_EQ(reg.Lookup(9), "ciscoSystems");
  EXPECT_EQ(reg.Lookup(2), "IBM");
  EXPECT_EQ(reg.Lookup(11863), "TP-Link Systems Inc.");
  EXPECT_EQ(reg.Lookup(12345), "");
}

TEST(EnterpriseRegistry, LoadsDebiansWiresharkList) {
  auto reg = EnterpriseRegistry::Load(kDefaultEnterprisesPath);
  if (!reg.ok()) GTEST_SKIP() << "libwireshark-data not installed: " << reg.status().ToString();
  EXPECT_GT(reg->size(), 50000u);
  EXPECT_EQ(reg->Lookup(9), "ciscoSystems");
  EXPECT_EQ(reg->Lookup(2636), "Juniper Networks, Inc.");
  EXPECT_EQ(reg->Lookup(8072), "net-snmp");
}

TEST(EnterpriseRegistry, MissingFileIsAnError) {
  EXPECT_FALSE(EnterpriseRegistry::Load("/nonexistent/enterprises.tsv").ok());
}

}  // namespace
}  // namespace estate::plugins::snmp
