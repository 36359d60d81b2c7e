#include "agent/collectors/guest_collector.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/agent/fixture_paths.h"
#include "tests/agent/temp_dir.h"

namespace estate::agent {
namespace {

using testing::RootPath;
using testing::TempDir;

std::vector<std::string> Strings(const google::protobuf::RepeatedPtrField<std::string>& field) {
  return {field.begin(), field.end()};
}

TEST(ParseLibvirtDomain, RejectsXmlWithoutADomain) {
  EXPECT_FALSE(ParseLibvirtDomain("<network><name>default</name></network>").ok());
  EXPECT_FALSE(ParseLibvirtDomain("<domain type='kvm'><uuid>x</uuid></domain>").ok());
  EXPECT_FALSE(ParseLibvirtDomain("<domain type='kvm'><name>half").ok());
}

TEST(ParseDockerConfig, ReadsARunningContainersNetworks) {
  auto guest = ParseDockerConfig(R"({"ID":"abc","Name":"/web","Config":{"Image":"nginx:1.25"},
      "State":{"Running":true,"StartedAt":"2024-01-02T03:04:05Z"},
      "NetworkSettings":{"Networks":{"bridge":{"IPAddress":"172.17.0.2",
      "MacAddress":"02:42:AC:11:00:02","GlobalIPv6Address":""}}}})");
  ASSERT_TRUE(guest.ok()) << guest.status().ToString();
  EXPECT_EQ(guest->name(), "web");
  EXPECT_EQ(guest->state(), "running");
  EXPECT_EQ(guest->image(), "nginx:1.25");
  EXPECT_EQ(Strings(guest->macs()), std::vector<std::string>{"02:42:ac:11:00:02"});
  EXPECT_EQ(Strings(guest->ips()), std::vector<std::string>{"172.17.0.2"});
  EXPECT_EQ(ParseDockerConfig(R"({"ID":"abc","State":{"Runn)").status().code(),
            Status::Code::kInvalidArgument);  // caught mid-write
}

TEST(ParsePodmanContainers, TakesTheImageNameFromTheMetadata) {
  auto guests = ParsePodmanContainers(
      R"([{"id":"9f3","names":["db"],"image":"sha256:1",)"
      R"("metadata":"{\"image-name\":\"docker.io/library/postgres:16\",\"name\":\"db\"}"}])");
  ASSERT_TRUE(guests.ok());
  ASSERT_EQ(guests->size(), 1u);
  EXPECT_EQ((*guests)[0].name(), "db");
  EXPECT_EQ((*guests)[0].image(), "docker.io/library/postgres:16");
  EXPECT_EQ((*guests)[0].kind(), "podman");
}

TEST(ParseLxcMacs, ReadsBothConfigGenerations) {
  EXPECT_EQ(ParseLxcMacs("lxc.net.0.type = veth\nlxc.net.0.hwaddr = 00:16:3E:5a:01:02\n"
                         "lxc.network.hwaddr=00:16:3e:5a:01:03\n# lxc.net.1.hwaddr = x\n"),
            (std::vector<std::string>{"00:16:3e:5a:01:02", "00:16:3e:5a:01:03"}));
}

TEST(GuestCollector, ListsTheLaptopsVirtualMachinesAndContainers) {
  CollectContext context{HostRoot(RootPath("endpoint-laptop")), nullptr, false, {}};
  v1::HostFacts facts;
  MakeGuestCollector()->Collect(context, &facts);
  EXPECT_EQ(facts.warnings_size(), 0) << facts.warnings(0);
  ASSERT_EQ(facts.guests_size(), 3);
  const auto& stopped = facts.guests(0);
  EXPECT_EQ(stopped.kind(), "libvirt");
  EXPECT_EQ(stopped.name(), "QEMUGuest1");
  EXPECT_EQ(stopped.id(), "c7a5fdbd-edaf-9455-926a-d65c16db1809");
  EXPECT_EQ(stopped.state(), "shut_off");
  EXPECT_EQ(Strings(stopped.macs()), std::vector<std::string>{"00:11:22:33:44:55"});
  EXPECT_EQ(stopped.ips_size(), 0);
  const auto& running = facts.guests(1);
  EXPECT_EQ(running.name(), "upstream");  // transient: only its status file exists
  EXPECT_EQ(running.id(), "dcf47dbd-46d1-4d5b-b442-262a806a333a");
  EXPECT_EQ(running.state(), "running");
  EXPECT_EQ(Strings(running.macs()), std::vector<std::string>{"52:54:00:36:bd:3b"});
  EXPECT_EQ(Strings(running.ips()), std::vector<std::string>{"192.168.122.45"});
  const auto& mongo = facts.guests(2);
  EXPECT_EQ(mongo.kind(), "docker");
  EXPECT_EQ(mongo.name(), "mongodb");
  EXPECT_EQ(mongo.id(), "34d5b5922f60b7880262d315392a2dd230e96a01fb605fa63855ec5ecaf6b6b0");
  EXPECT_EQ(mongo.image(), "mongo");
  EXPECT_EQ(mongo.state(), "exited");
  EXPECT_EQ(mongo.macs_size(), 0);  // a stopped container holds no address
}

TEST(GuestCollector, WarnsAboutAContainerStateFileMidWriteAndKeepsTheRest) {
  TempDir dir;
  const std::string docker = dir.path() + "/var/lib/docker/containers/";
  std::filesystem::create_directories(docker + "aaa");
  std::filesystem::create_directories(docker + "bbb");
  std::ofstream(docker + "aaa/config.v2.json") << R"({"ID":"aaa","Name":"/half","Sta)";
  std::ofstream(docker + "bbb/config.v2.json") << R"({"ID":"bbb","Name":"/ok"})";
  const std::string lxc = dir.path() + "/var/lib/lxc/web01";
  std::filesystem::create_directories(lxc);
  std::ofstream(lxc + "/config") << "lxc.uts.name = web01\nlxc.net.0.hwaddr = 00:16:3e:aa:bb:cc\n";
  std::filesystem::create_directories(dir.path() + "/sys/fs/cgroup/lxc.payload.web01");
  CollectContext context{HostRoot(dir.path()), nullptr, false, {}};
  v1::HostFacts facts;
  MakeGuestCollector()->Collect(context, &facts);
  ASSERT_EQ(facts.guests_size(), 2);
  EXPECT_EQ(facts.guests(0).name(), "ok");
  EXPECT_EQ(facts.guests(1).kind(), "lxc");
  EXPECT_EQ(facts.guests(1).state(), "running");
  EXPECT_EQ(Strings(facts.guests(1).macs()), std::vector<std::string>{"00:16:3e:aa:bb:cc"});
  ASSERT_EQ(facts.warnings_size(), 1);
  EXPECT_NE(facts.warnings(0).find("aaa/config.v2.json"), std::string::npos) << facts.warnings(0);
}

}  // namespace
}  // namespace estate::agent
