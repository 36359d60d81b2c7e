#include "agent/collectors/network_collector.h"

#include <gtest/gtest.h>

#include "agent/collectors/interface_address_source.h"

namespace estate::agent {
namespace {

TEST(RouteParser, FindsIpv4DefaultGateway) {
  const char* text =
      "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\n"
      "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
      "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";
  auto routes = ParseIpv4Routes(text);
  ASSERT_EQ(routes.size(), 1u);
  EXPECT_EQ(routes[0].gateway(), "192.0.2.1");
  EXPECT_EQ(routes[0].interface(), "eth0");
  EXPECT_EQ(routes[0].destination(), "0.0.0.0/0");
}

TEST(RouteParser, FindsIpv6DefaultAndSkipsLoopbackUnreachable) {
  const char* text =
      "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
      "fe800000000000000000000000000001 00000400 00000001 00000000 00000003 eth0\n"
      "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
      "00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n";
  auto routes = ParseIpv6Routes(text);
  ASSERT_EQ(routes.size(), 1u);
  EXPECT_EQ(routes[0].gateway(), "fe80::1");
  EXPECT_EQ(routes[0].family(), "ipv6");
}

TEST(ResolvConfParser, ReadsServersAndSearchDomains) {
  v1::NetworkFacts network;
  ParseResolvConf("# comment\nnameserver 192.0.2.53\nsearch a.example b.example\noptions x\n",
                  &network);
  ASSERT_EQ(network.dns_servers_size(), 1);
  EXPECT_EQ(network.dns_servers(0), "192.0.2.53");
  ASSERT_EQ(network.search_domains_size(), 2);
  EXPECT_EQ(network.search_domains(1), "b.example");
}

TEST(InterfaceClassifier, MarksVirtualKinds) {
  auto kind = [](InterfaceTraits t) { return ClassifyInterface(t); };
  EXPECT_EQ(kind({"lo", 772, "", false, false, false, false}), "loopback");
  EXPECT_EQ(kind({"eth0", 1, "", false, false, false, true}), "physical");
  EXPECT_EQ(kind({"docker0", 1, "bridge", true, false, false, false}), "docker");
  EXPECT_EQ(kind({"br0", 1, "bridge", true, false, false, false}), "bridge");
  EXPECT_EQ(kind({"veth12", 1, "", false, false, false, false}), "veth");
  EXPECT_EQ(kind({"wg0", 65534, "wireguard", false, false, false, false}), "wireguard");
  EXPECT_EQ(kind({"tun0", 65534, "", false, false, true, false}), "tun");
  EXPECT_EQ(kind({"bond0", 1, "bond", false, true, false, false}), "bond");
  EXPECT_EQ(kind({"eth0.10", 1, "vlan", false, false, false, false}), "vlan");
}

TEST(IpAddrParser, ReadsOneLinePerAddress) {
  auto entries = ParseIpAddrOutput(
      "1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever\n"
      "2: eth0    inet6 fe80::1/64 scope link \\       valid_lft forever\n"
      "3: vlan10@eth0    inet 10.0.0.2/24 scope global vlan10\n"
      "2: eth0    link/ether 00:11:22:33:44:55 brd ff:ff:ff:ff:ff:ff\n");
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].interface, "lo");
  EXPECT_EQ(entries[0].address.scope(), "host");
  EXPECT_EQ(entries[1].address.family(), "ipv6");
  EXPECT_EQ(entries[1].address.prefix_length(), 64u);
  EXPECT_EQ(entries[1].address.scope(), "link");
  EXPECT_EQ(entries[2].interface, "vlan10");
}

}  // namespace
}  // namespace estate::agent
