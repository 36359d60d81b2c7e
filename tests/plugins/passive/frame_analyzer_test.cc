#include "plugins/passive/frame_analyzer.h"

#include <gtest/gtest.h>

#include "estate/oui_registry.h"
#include "tests/plugins/passive/capture_file.h"

namespace estate::plugins {
namespace {

using testing::ReadFrames;

std::vector<v1::Observation> AnalyzeFile(const std::string& file, FrameAnalyzer& analyzer) {
  std::vector<v1::Observation> out;
  for (const auto& f : ReadFrames(file)) {
    analyzer.Analyze(f.link_type, f.timestamp_us / 1000000, f.bytes, &out);
  }
  return out;
}

OuiRegistry SmallRegistry() {
  OuiRegistry r;
  r.AddCsv(
      "Registry,Assignment,Organization Name,Organization Address\n"
      "MA-L,7831C1,\"Apple, Inc.\",1 Infinite Loop\n"
      "MA-L,000B82,\"Grandstream Networks, Inc.\",Boston\n",
      OuiBlock::kMaL);
  r.Finish();
  return r;
}

TEST(FrameAnalyzer, LearnsNewStationsFromArp) {
  const OuiRegistry oui = SmallRegistry();
  FrameAnalyzer analyzer(&oui, "eth0");
  const auto out = AnalyzeFile("zeek/arp-who-has.pcap", analyzer);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].source(), v1::OBSERVATION_SOURCE_PASSIVE_ARP);
  EXPECT_EQ(out[0].ip(), "10.0.0.2");
  EXPECT_EQ(out[0].mac(), "78:31:c1:c6:3f:c2");
  EXPECT_EQ(out[0].vendor(), "Apple, Inc.");
  EXPECT_EQ(out[0].interface(), "eth0");
  ASSERT_EQ(out[0].flags_size(), 1);
  EXPECT_EQ(out[0].flags(0), "new_station");
  EXPECT_EQ(out[1].ip(), "10.0.0.1");
  EXPECT_EQ(out[1].mac(), "f8:ed:a5:c0:a4:f1");
}

TEST(FrameAnalyzer, RemembersReportedFactsWithinItsBound) {
  const OuiRegistry oui = SmallRegistry();
  FrameAnalyzer unbounded(&oui, "");
  EXPECT_EQ(AnalyzeFile("zeek/dhcp_discover_param_req_client_id.pcap", unbounded).size(), 1u);
  EXPECT_EQ(AnalyzeFile("tcpdump/3560_CDP.pcap", unbounded).size(), 1u);
  // Seen before and still remembered: nothing new to report.
  EXPECT_EQ(AnalyzeFile("zeek/dhcp_discover_param_req_client_id.pcap", unbounded).size(), 0u);
  EXPECT_EQ(unbounded.stats().forgotten, 0u);

  // Room for one fact: the CDP switch pushes the DHCP fingerprint out, so it is reported again.
  FrameAnalyzer bounded(&oui, "", /*max_remembered=*/1);
  EXPECT_EQ(AnalyzeFile("zeek/dhcp_discover_param_req_client_id.pcap", bounded).size(), 1u);
  EXPECT_EQ(AnalyzeFile("tcpdump/3560_CDP.pcap", bounded).size(), 1u);
  EXPECT_EQ(AnalyzeFile("zeek/dhcp_discover_param_req_client_id.pcap", bounded).size(), 1u);
  EXPECT_EQ(bounded.stats().forgotten, 2u);
}

TEST(FrameAnalyzer, TurnsADhcpDiscoverIntoAFingerprint) {
  const OuiRegistry oui = SmallRegistry();
  FrameAnalyzer analyzer(&oui, "");
  const auto out = AnalyzeFile("zeek/dhcp_discover_param_req_client_id.pcap", analyzer);
  ASSERT_EQ(out.size(), 1u);
  const v1::Observation& o = out[0];
  EXPECT_EQ(o.source(), v1::OBSERVATION_SOURCE_PASSIVE_DHCP);
  EXPECT_EQ(o.mac(), "00:0b:82:01:fc:42");
  EXPECT_EQ(o.vendor(), "Grandstream Networks, Inc.");
  EXPECT_EQ(o.hostname(), "test0000");
  EXPECT_EQ(o.ip(), "208.67.222.222");
  EXPECT_EQ(o.dhcp().client_id(), "01000b8201fc42");
  ASSERT_EQ(o.dhcp().parameter_list_size(), 4);
  EXPECT_EQ(o.dhcp().parameter_list(3), 42u);
  EXPECT_EQ(o.dhcp().message_type(), 1u);
}

TEST(FrameAnalyzer, ReportsChangedMacsAndFlipFlopsInArpOobr) {
  FrameAnalyzer analyzer(nullptr, "");
  const auto out = AnalyzeFile("tcpdump/arp-oobr.pcap", analyzer);
  // The capture's fuzzed frames make 192.168.1.104 change MAC and flip back.
  int changed = 0, flip_flop = 0;
  for (const auto& o : out) {
    if (o.ip() != "192.168.1.104" || o.flags_size() == 0) continue;
    changed += o.flags(0) == "changed_mac";
    flip_flop += o.flags(0) == "flip_flop";
  }
  EXPECT_GT(changed, 0);
  EXPECT_GT(flip_flop, 0);
  EXPECT_EQ(analyzer.stats().frames, 2282u);
  EXPECT_EQ(analyzer.stats().arp, 2282u);
  // tcpdump decodes 2,023 of them as Ethernet/IPv4 ARP; the others are skipped.
  EXPECT_EQ(analyzer.stats().truncated + analyzer.stats().malformed + analyzer.stats().unsupported,
            259u);
}

TEST(FrameAnalyzer, NamesSwitchesFromLldpAndCdp) {
  FrameAnalyzer analyzer(nullptr, "");
  const auto out = AnalyzeFile("tcpdump/3560_CDP.pcap", analyzer);
  ASSERT_EQ(out.size(), 1u);  // three announcements, one observation
  EXPECT_EQ(out[0].source(), v1::OBSERVATION_SOURCE_PASSIVE_CDP);
  EXPECT_EQ(out[0].hostname(), "Switch");
  EXPECT_EQ(out[0].platform(), "cisco WS-C3560G-24PS");
  EXPECT_EQ(out[0].ip(), "192.168.0.1");
  EXPECT_EQ(out[0].mac(), "00:19:06:ea:b8:85");
}

TEST(FrameAnalyzer, NamesHostsFromMdns) {
  FrameAnalyzer analyzer(nullptr, "");
  const auto out = AnalyzeFile("zeek/mdns.pcap", analyzer);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].source(), v1::OBSERVATION_SOURCE_PASSIVE_MDNS);
  EXPECT_EQ(out[0].ip(), "10.0.2.7");
  EXPECT_EQ(out[0].hostname(), "johanna-QEMU-Virtual-Machine");
  EXPECT_TRUE(out[0].mac_locally_administered());
}

// Every hostile capture is read to its end; bad frames only count.
TEST(FrameAnalyzer, CountsAndSkipsMalformedFramesWithoutStopping) {
  for (const char* file :
       {"tcpdump/arp-too-long-tha.pcap", "tcpdump/bootp_asan.pcap", "tcpdump/bootp_asan-2.pcap",
        "tcpdump/lldp_asan.pcap", "tcpdump/lldp_mgmt_addr_tlv_asan.pcap",
        "tcpdump/lldp_8023_mtu-oobr.pcap", "zeek/dhcp_bad_cookie.pcap"}) {
    FrameAnalyzer analyzer(nullptr, "");
    const auto frames = ReadFrames(file);
    (void)AnalyzeFile(file, analyzer);
    const AnalyzerStats& s = analyzer.stats();
    EXPECT_EQ(s.frames, frames.size()) << file;
    EXPECT_GT(s.truncated + s.malformed + s.unsupported, 0u) << file;
  }
}

}  // namespace
}  // namespace estate::plugins
