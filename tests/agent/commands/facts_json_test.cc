#include "agent/commands/facts_json.h"

#include <gtest/gtest.h>

#include <sstream>

#include "agent/commands/inventory_source.h"
#include "estate/proto_json.h"
#include "tests/agent/fixture_paths.h"

namespace estate::agent {
namespace {

std::string Written(const v1::HostFacts& facts) {
  std::ostringstream out;
  WriteFactsJson(facts, out);
  return out.str();
}

TEST(FactsJson, WritesExactlyWhatTheWholeTreeWouldPrint) {
  for (const char* machine : {"ws-debian12", "deb-origins", "broken-host"}) {
    const v1::HostFacts facts = InventorySource(testing::RootPath(machine), "").Collect();
    ASSERT_GT(facts.software_size(), 0) << machine;
    EXPECT_EQ(Written(facts), ProtoToJson(facts).dump(2)) << machine;
  }
}

TEST(FactsJson, HandlesFactsWithoutSoftwareOrWithOnlySoftware) {
  v1::HostFacts none;
  EXPECT_EQ(Written(none), ProtoToJson(none).dump(2));
  v1::HostFacts only;
  only.add_software()->set_name("zsh");
  EXPECT_EQ(Written(only), ProtoToJson(only).dump(2));
  v1::HostFacts last;  // a key sorting after "software"
  last.add_software()->set_name("bash");
  last.add_users()->set_name("alice");
  last.set_hostname("h");
  EXPECT_EQ(Written(last), ProtoToJson(last).dump(2));
}

}  // namespace
}  // namespace estate::agent
