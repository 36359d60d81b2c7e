#include "plugins/probe/host_probe.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "plugins/arp/target_range.h"

namespace estate::plugins {
namespace {

TEST(IcmpEcho, CarriesAValidChecksum) {
  const auto p = BuildIcmpEcho(0x1234, 7);
  ASSERT_EQ(p.size(), 24u);
  EXPECT_EQ(p[0], 8);
  EXPECT_EQ(InternetChecksum(p.data(), p.size()), 0);  // a correct sum folds to zero
}

TEST(IcmpEcho, ComputesTheRfc1071Example) {
  // RFC 1071 section 3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2, checksum 220d.
  const uint8_t data[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  EXPECT_EQ(InternetChecksum(data, sizeof data), 0x220d);
}

TEST(IcmpEcho, ParsesAReplyAndRefusesOtherIcmp) {
  std::vector<uint8_t> ip = {0x45, 0, 0,   44, 0, 0, 0,   0,  64, 1,
                             0,    0, 198, 18, 0, 7, 198, 18, 0,  254};
  std::vector<uint8_t> icmp = BuildIcmpEcho(0x1234, 9);
  icmp[0] = 0;  // echo reply
  std::vector<uint8_t> packet = ip;
  packet.insert(packet.end(), icmp.begin(), icmp.end());
  uint32_t source;
  uint16_t id, sequence;
  ASSERT_TRUE(ParseIcmpEchoReply(packet.data(), packet.size(), &source, &id, &sequence));
  EXPECT_EQ(source, 0xc6120007u);
  EXPECT_EQ(id, 0x1234);
  EXPECT_EQ(sequence, 9);
  packet[20] = 3;  // destination unreachable
  EXPECT_FALSE(ParseIcmpEchoReply(packet.data(), packet.size(), &source, &id, &sequence));
  EXPECT_FALSE(ParseIcmpEchoReply(packet.data(), 25, &source, &id, &sequence));
}

// Loopback only: a listening socket answers one port, another is refused.
TEST(HostProbe, FindsALoopbackHostByTcpWithoutRawSockets) {
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(listen(listener, 4), 0);
  socklen_t len = sizeof a;
  getsockname(listener, reinterpret_cast<sockaddr*>(&a), &len);
  const uint16_t open_port = ntohs(a.sin_port);

  HostProbeOptions o;
  o.targets = {*ParseIpv4("127.0.0.1")};
  o.icmp = false;
  o.tcp_ports = {open_port, 9};
  o.timeout = std::chrono::milliseconds(500);
  HostProbe probe(o);
  ASSERT_TRUE(probe.Run().ok());
  close(listener);
  ASSERT_EQ(probe.results().size(), 1u);
  const HostProbeResult& r = probe.results()[0];
  EXPECT_EQ(r.probe, "tcp/" + std::to_string(open_port));
  EXPECT_EQ(r.answered, (std::vector<std::string>{"tcp/" + std::to_string(open_port) + " open",
                                                  "tcp/9 refused"}));
  EXPECT_EQ(r.hostname, "localhost");  // /etc/hosts, no DNS traffic
}

TEST(HostProbe, AnswersAnIcmpEchoOnLoopbackWhenAllowedRawSockets) {
  HostProbeOptions o;
  o.targets = {*ParseIpv4("127.0.0.1")};
  o.tcp_ports = {};
  o.reverse_dns = false;
  HostProbe probe(o);
  const Status st = probe.Run();
  if (st.code() == Status::Code::kPermissionDenied) {
    EXPECT_NE(st.message().find("CAP_NET_RAW"), std::string::npos);
    GTEST_SKIP() << "no CAP_NET_RAW: " << st.message();
  }
  ASSERT_TRUE(st.ok()) << st.ToString();
  ASSERT_EQ(probe.results().size(), 1u);
  EXPECT_EQ(probe.results()[0].probe, "icmp");
}

}  // namespace
}  // namespace estate::plugins
