#include "estate/proto_json.h"

#include <gtest/gtest.h>

#include "estate/v1/facts.pb.h"
#include "estate/v1/observations.pb.h"

namespace estate {
namespace {

TEST(ProtoToJson, PrintsSnakeCaseNamesAndNumbersAsNumbers) {
  v1::HostFacts facts;
  facts.set_hostname("pc-42");
  facts.mutable_memory()->set_total_bytes(17179869184ull);
  auto* nic = facts.mutable_network()->add_interfaces();
  nic->set_name("eth0");
  nic->add_addresses()->set_address("192.0.2.10");
  nlohmann::json j = ProtoToJson(facts);
  EXPECT_EQ(j["hostname"], "pc-42");
  EXPECT_TRUE(j["memory"]["total_bytes"].is_number());
  EXPECT_EQ(j["memory"]["total_bytes"].get<uint64_t>(), 17179869184ull);
  EXPECT_EQ(j["network"]["interfaces"][0]["addresses"][0]["address"], "192.0.2.10");
  EXPECT_FALSE(j.contains("fqdn"));  // empty values are left out
  EXPECT_FALSE(j.contains("dmi"));   // unset sub-messages too
}

TEST(ProtoToJson, PrintsEnumsAsShortLowerCaseNames) {
  v1::Observation obs;
  obs.set_source(v1::OBSERVATION_SOURCE_ARP_SWEEP);
  EXPECT_EQ(ProtoToJson(obs)["source"], "arp_sweep");
}

TEST(ProtoToJson, RepairsInvalidUtf8FromDevices) {
  v1::HostFacts facts;
  facts.set_hostname("bad\xff");
  EXPECT_EQ(ProtoToJson(facts)["hostname"], "bad\xef\xbf\xbd");
  EXPECT_NO_THROW(ProtoToJson(facts).dump());
}

}  // namespace
}  // namespace estate
