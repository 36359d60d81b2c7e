#include "estate/proto_json.h"

#include <gtest/gtest.h>

#include "estate/v1/facts.pb.h"
#include "estate/v1/inventory.pb.h"
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

// The text writer must say exactly what the tree does, whatever the fields.
TEST(AppendProtoJson, ParsesToTheSameJsonAsProtoToJson) {
  v1::HostFacts facts;
  facts.set_hostname("pc-\"42\"\\\n\t\x01 bad\xff é");
  facts.mutable_memory()->set_total_bytes(17179869184ull);
  facts.mutable_cpu()->set_mhz(2893.204);
  facts.mutable_cpu()->set_max_mhz(-0.5);
  facts.mutable_cpu()->set_cores(8);
  for (int i = 0; i < 3; ++i) {
    auto* nic = facts.mutable_network()->add_interfaces();
    nic->set_name("eth" + std::to_string(i));
    nic->set_mac("52:54:00:00:00:0" + std::to_string(i));
    nic->add_addresses()->set_address("192.0.2." + std::to_string(10 + i));
    nic->mutable_addresses(0)->set_prefix_length(24);
  }
  auto* p = facts.add_software();
  p->set_name("openssl");
  p->set_install_time(1'700'000'000);
  facts.mutable_dmi()->set_serial("");  // present sub-message, empty field
  v1::Asset asset;
  asset.set_id("A-000042");
  asset.set_managed(true);
  asset.add_macs("00:1b:21:0a:0b:0c");
  (*asset.mutable_attributes())["owner"] = "ana";
  (*asset.mutable_attributes())["asset_tag"] = "TAG-\x7f\xc3";
  asset.mutable_custody()->set_holder("bob");
  asset.add_sources()->set_node_id("node-1");
  v1::Observation obs;
  obs.set_source(v1::OBSERVATION_SOURCE_ARP_SWEEP);
  const google::protobuf::Message* messages[] = {&facts, &asset, &obs,
                                                 &v1::HostFacts::default_instance()};
  for (const auto* m : messages) {
    std::string text;
    AppendProtoJson(*m, &text);
    const nlohmann::json parsed = nlohmann::json::parse(text);  // throws when not JSON
    EXPECT_EQ(parsed, ProtoToJson(*m)) << text;
  }
  std::string quoted;
  AppendJsonString("a\"b\x1f", &quoted);
  EXPECT_EQ(quoted, "\"a\\\"b\\u001f\"");
}

}  // namespace
}  // namespace estate
