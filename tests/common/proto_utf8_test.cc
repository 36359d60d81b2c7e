#include "estate/proto_utf8.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "estate/v1/frame.pb.h"

namespace estate {
namespace {

const std::string kFffd = "\xef\xbf\xbd";

v1::HostFacts Latin1Facts() {
  v1::HostFacts facts;
  facts.set_hostname("b\xfcro");
  facts.mutable_os()->set_name("Debian");
  auto* ok = facts.add_software();
  ok->set_name("libc6");
  ok->set_version("2.36");
  auto* bad = facts.add_software();
  bad->set_name("outil");
  bad->set_version("1.0-\xe9t\xe9");
  facts.add_warnings("dpkg: fine");
  return facts;
}

TEST(RepairUtf8Fields, ReplacesBadBytesAndNamesEachField) {
  v1::HostFacts facts = Latin1Facts();
  std::vector<std::string> paths;
  EXPECT_EQ(RepairUtf8Fields(&facts, [&](const std::string& p) { paths.push_back(p); }), 2u);
  EXPECT_EQ(paths, (std::vector<std::string>{"hostname", "software[outil].version"}));
  EXPECT_EQ(facts.hostname(), "b" + kFffd + "ro");
  EXPECT_EQ(facts.software(1).version(), "1.0-" + kFffd + "t" + kFffd);
  EXPECT_EQ(facts.software(0).version(), "2.36");
  v1::HostFacts parsed;
  EXPECT_TRUE(parsed.ParseFromString(facts.SerializeAsString()));
  EXPECT_EQ(RepairUtf8Fields(&facts), 0u) << "valid text is left alone";
}

TEST(RepairUtf8Field, ChecksOnlyTheGivenElementsOfARepeatedField) {
  v1::HostFacts facts = Latin1Facts();
  const auto* software = v1::HostFacts::descriptor()->FindFieldByName("software");
  EXPECT_EQ(RepairUtf8Field(&facts, software, 0, 1), 0u);
  EXPECT_EQ(RepairUtf8Field(&facts, software, 1, 99), 1u);  // the end is clamped
  const auto* hostname = v1::HostFacts::descriptor()->FindFieldByName("hostname");
  EXPECT_EQ(RepairUtf8Field(&facts, hostname, 0, 1), 1u);
}

TEST(RepairUtf8Field, NamesAnElementWithoutANameByItsIndex) {
  v1::HostFacts facts;
  facts.add_warnings("ok");
  facts.add_warnings("caf\xe9");
  std::vector<std::string> paths;
  RepairUtf8Fields(&facts, [&](const std::string& p) { paths.push_back(p); });
  EXPECT_EQ(paths, (std::vector<std::string>{"warnings[1]"}));
}

TEST(RepairUtf8Wire, RepairsBytesThatFailAStrictParse) {
  v1::Frame frame;
  frame.set_request_id(7);
  frame.mutable_full_report()->set_sequence(3);
  *frame.mutable_full_report()->mutable_facts() = Latin1Facts();
  const std::string wire = frame.SerializePartialAsString();
  v1::Frame strict;
  ASSERT_FALSE(strict.ParseFromString(wire)) << "protobuf checks UTF-8 on parse";
  size_t repaired = 0;
  auto fixed = RepairUtf8Wire(wire, *v1::Frame::descriptor(), &repaired);
  ASSERT_TRUE(fixed.ok()) << fixed.status().ToString();
  EXPECT_EQ(repaired, 2u);
  ASSERT_TRUE(strict.ParseFromString(*fixed));
  EXPECT_EQ(strict.request_id(), 7u);
  EXPECT_EQ(strict.full_report().sequence(), 3u);
  EXPECT_EQ(strict.full_report().facts().hostname(), "b" + kFffd + "ro");
  EXPECT_EQ(strict.full_report().facts().software(0).name(), "libc6");
}

TEST(RepairUtf8Wire, RefusesWhatIsNotProtobuf) {
  EXPECT_EQ(RepairUtf8Wire("\xff\xff\xff\xff\x0f", *v1::Frame::descriptor()).status().code(),
            Status::Code::kCorruption);
}

}  // namespace
}  // namespace estate
