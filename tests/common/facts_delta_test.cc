#include "estate/facts_delta.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "estate/framing.h"

namespace estate {
namespace {

using google::protobuf::util::MessageDifferencer;

void SortSoftware(v1::HostFacts* facts) {
  std::sort(facts->mutable_software()->begin(), facts->mutable_software()->end(),
            [](const v1::Package& a, const v1::Package& b) {
              return std::tie(a.name(), a.architecture(), a.source()) <
                     std::tie(b.name(), b.architecture(), b.source());
            });
}

v1::HostFacts BaseFacts(int packages) {
  v1::HostFacts facts;
  facts.set_hostname("ws-1");
  facts.set_machine_id("m1");
  facts.set_kernel("6.1.0-18-amd64");
  facts.mutable_memory()->set_total_bytes(8ull << 30);
  facts.mutable_cpu()->set_logical(8);
  auto* nic = facts.mutable_network()->add_interfaces();
  nic->set_name("eth0");
  nic->set_mac("00:11:22:33:44:55");
  for (int i = 0; i < packages; ++i) {
    auto* p = facts.add_software();
    p->set_name("pkg" + std::to_string(i));
    p->set_version("1." + std::to_string(i));
    p->set_architecture("amd64");
    p->set_source("deb");
  }
  SortSoftware(&facts);
  return facts;
}

// One random change of the kind hosts really see.
void Mutate(std::mt19937& rng, v1::HostFacts* facts) {
  switch (rng() % 8) {
    case 0:
      facts->set_kernel("6.1.0-" + std::to_string(rng() % 50) + "-amd64");
      break;
    case 1:
      facts->mutable_memory()->set_total_bytes((rng() % 64 + 1) << 30);
      break;
    case 2:
      if (facts->software_size() > 0) {
        facts->mutable_software()->DeleteSubrange(rng() % facts->software_size(), 1);
      }
      break;
    case 3: {
      auto* p = facts->add_software();
      p->set_name("new" + std::to_string(rng() % 100000));
      p->set_version("0.1");
      p->set_architecture("amd64");
      p->set_source("deb");
      break;
    }
    case 4:
      if (facts->software_size() > 0) {
        facts->mutable_software(rng() % facts->software_size())->set_version(std::to_string(rng()));
      }
      break;
    case 5:
      facts->mutable_network()->mutable_interfaces(0)->set_state(rng() % 2 ? "up" : "down");
      break;
    case 6:
      facts->clear_cpu();
      break;
    case 7:
      facts->set_hostname("ws-" + std::to_string(rng() % 5));
      break;
  }
  SortSoftware(facts);
}

TEST(FactsDelta, AppliedDeltasEqualTheFullRecordAfterAnySequence) {
  std::mt19937 rng(42);
  for (int run = 0; run < 50; ++run) {
    v1::HostFacts agent = BaseFacts(200);
    v1::HostFacts collector = agent;
    for (int step = 0; step < 30; ++step) {
      v1::HostFacts next = agent;
      for (int k = 0, n = static_cast<int>(rng() % 4); k < n; ++k) Mutate(rng, &next);
      v1::DeltaReport delta;
      ComputeDelta(agent, next, &delta);
      ASSERT_TRUE(ApplyDelta(&collector, delta).ok());
      ASSERT_TRUE(MessageDifferencer::Equals(collector, next))
          << "run " << run << " step " << step << "\n"
          << collector.DebugString().substr(0, 500);
      agent = next;
    }
  }
}

TEST(FactsDelta, NoChangeIsAnEmptyDeltaUnderOneKilobyteOnTheWire) {
  v1::HostFacts facts = BaseFacts(1500);
  v1::Frame frame;
  frame.set_request_id(123456);
  auto* delta = frame.mutable_delta_report();
  delta->set_sequence(1'800'000'000'123);
  delta->set_base_sequence(1'800'000'000'122);
  delta->set_collected_at(1'800'000'000);
  ComputeDelta(facts, facts, delta);
  EXPECT_TRUE(IsEmptyDelta(*delta));
  auto bytes = EncodeFrame(frame);
  ASSERT_TRUE(bytes.ok());
  EXPECT_LT(bytes->size(), 1024u);
}

TEST(FactsDelta, OnePackageUpgradeTravelsAsOneUpsert) {
  v1::HostFacts before = BaseFacts(1500);
  v1::HostFacts after = before;
  after.mutable_software(10)->set_version("9.9");
  v1::DeltaReport delta;
  ComputeDelta(before, after, &delta);
  EXPECT_EQ(delta.replaced_fields_size(), 0);
  ASSERT_EQ(delta.software_upserted_size(), 1);
  EXPECT_EQ(delta.software_upserted(0).version(), "9.9");
}

TEST(FactsDelta, ClearedFieldIsReplacedByNothing) {
  v1::HostFacts before = BaseFacts(3);
  v1::HostFacts after = before;
  after.clear_cpu();
  v1::DeltaReport delta;
  ComputeDelta(before, after, &delta);
  ASSERT_EQ(delta.replaced_fields_size(), 1);
  EXPECT_EQ(delta.replaced_fields(0), static_cast<uint32_t>(v1::HostFacts::kCpuFieldNumber));
  v1::HostFacts applied = before;
  ASSERT_TRUE(ApplyDelta(&applied, delta).ok());
  EXPECT_FALSE(applied.has_cpu());
}

TEST(FactsDelta, UnknownFieldNumberIsRefused) {
  v1::HostFacts facts;
  v1::DeltaReport delta;
  delta.add_replaced_fields(999);
  EXPECT_EQ(ApplyDelta(&facts, delta).code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace estate
