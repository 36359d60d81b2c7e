#include "plugins/arp/arp_sweep.h"

#include <gtest/gtest.h>

#include <deque>
#include <map>

#include "plugins/arp/target_range.h"
#include "plugins/passive/arp_decoder.h"

namespace estate::plugins {
namespace {

const MacBytes kScannerMac{0x02, 0xe5, 0x7a, 0xff, 0xff, 0xfe};
constexpr uint32_t kScannerIp = 0xc61200fe;

MacBytes HostMac(int i) { return {0x00, 0x16, 0x3e, 0, 0, static_cast<uint8_t>(i)}; }
uint32_t HostIp(int i) { return 0xc6120000u + static_cast<uint32_t>(i); }

// A simulated Ethernet segment in simulated time: hosts answer the requests
// the sweep injects after their round-trip time. Next() advances the clock.
class FakeSegment : public PacketSource {
 public:
  struct Host {
    uint32_t ip;
    MacBytes mac;
    int64_t rtt_us = 300;
    int answer_from_attempt = 1;  // 2: ignores the first request
  };

  void AddHost(Host h) { hosts_.push_back(h); }
  int64_t now() const { return now_; }
  MicrosClock Clock() {
    return [this] { return now_; };
  }
  const std::vector<std::pair<int64_t, uint32_t>>& requests() const { return requests_; }
  int RequestsTo(uint32_t ip) const {
    int n = 0;
    for (const auto& r : requests_) n += r.second == ip;
    return n;
  }

  int link_type() const override { return kLinkTypeEthernet; }
  const std::string& name() const override { return name_; }
  Status SetFilter(std::string_view) override { return Status::Ok(); }

  Status Inject(Bytes frame) override {
    auto link = DecodeLinkLayer(kLinkTypeEthernet, frame);
    EXPECT_TRUE(link.ok());
    auto arp = DecodeArp(link->payload);
    EXPECT_TRUE(arp.ok());
    EXPECT_EQ(arp->operation, kArpRequest);
    EXPECT_EQ(arp->sender_mac, kScannerMac);
    requests_.push_back({now_, arp->target_ip});
    const int attempt = ++attempts_[arp->target_ip];
    for (const Host& h : hosts_) {
      if (h.ip != arp->target_ip || attempt < h.answer_from_attempt) continue;
      Pending p{now_ + h.rtt_us, Reply(h)};
      auto at = std::upper_bound(pending_.begin(), pending_.end(), p.at,
                                 [](int64_t t, const Pending& q) { return t < q.at; });
      pending_.insert(at, std::move(p));
    }
    return Status::Ok();
  }

  Result<bool> Next(std::chrono::microseconds timeout, CapturedPacket* packet) override {
    if (!pending_.empty() && pending_.front().at <= now_ + timeout.count()) {
      now_ = std::max(now_, pending_.front().at);
      current_ = std::move(pending_.front().frame);
      pending_.pop_front();
      packet->data = current_;
      packet->timestamp_us = 1'700'000'000'000'000 + now_;
      packet->wire_length = static_cast<uint32_t>(current_.size());
      return true;
    }
    now_ += timeout.count();
    return false;
  }

  // A reply addressed to the scanner from someone it never asked.
  void InjectUnsolicitedReply(const Host& h) { pending_.push_front({now_, Reply(h)}); }

 private:
  struct Pending {
    int64_t at;
    std::vector<uint8_t> frame;
  };

  static std::vector<uint8_t> Reply(const Host& h) {
    std::vector<uint8_t> f = BuildArpRequest(h.mac, h.ip, kScannerIp);
    std::copy(kScannerMac.begin(), kScannerMac.end(), f.begin());  // unicast to the scanner
    f[21] = kArpReply;
    std::copy(kScannerMac.begin(), kScannerMac.end(), f.begin() + 32);
    return f;
  }

  std::string name_ = "fake0";
  int64_t now_ = 1'000'000;
  std::vector<Host> hosts_;
  std::deque<Pending> pending_;
  std::vector<uint8_t> current_;
  std::vector<std::pair<int64_t, uint32_t>> requests_;
  std::map<uint32_t, int> attempts_;
};

ArpSweepOptions Options(const std::string& cidr) {
  ArpSweepOptions o;
  o.targets = *ExpandTargets({cidr});
  o.source_mac = kScannerMac;
  o.source_ip = kScannerIp;
  return o;
}

TEST(ArpSweep, FindsEveryHostThatAnswersAndNoOther) {
  FakeSegment segment;
  for (int i : {1, 2, 5, 9, 14}) segment.AddHost({HostIp(i), HostMac(i)});
  ArpSweep sweep(Options("198.18.0.0/28"), &segment, segment.Clock());
  ASSERT_TRUE(sweep.Run().ok());
  std::vector<std::string> found;
  for (const ArpReply& r : sweep.replies()) {
    found.push_back(FormatIpv4(r.ip) + " " + FormatMacBytes(r.mac));
    EXPECT_EQ(r.rtt_us, 300u);
    EXPECT_FALSE(r.duplicate_ip);
    EXPECT_FALSE(r.duplicate_mac);
  }
  EXPECT_EQ(found, (std::vector<std::string>{
                       "198.18.0.1 00:16:3e:00:00:01", "198.18.0.2 00:16:3e:00:00:02",
                       "198.18.0.5 00:16:3e:00:00:05", "198.18.0.9 00:16:3e:00:00:09",
                       "198.18.0.14 00:16:3e:00:00:0e"}));
  EXPECT_EQ(sweep.summary().answered, 5u);
  EXPECT_EQ(sweep.summary().probed, 14u);
}

TEST(ArpSweep, RetriesOnlyTheSilentTargets) {
  FakeSegment segment;
  segment.AddHost({HostIp(1), HostMac(1)});
  ArpSweepOptions o = Options("198.18.0.0/29");
  o.retries = 2;
  ArpSweep sweep(o, &segment, segment.Clock());
  ASSERT_TRUE(sweep.Run().ok());
  EXPECT_EQ(segment.RequestsTo(HostIp(1)), 1);
  for (int i = 2; i <= 6; ++i) EXPECT_EQ(segment.RequestsTo(HostIp(i)), 3) << i;
  EXPECT_EQ(sweep.summary().sent, 16u);
}

TEST(ArpSweep, FindsAHostThatOnlyAnswersTheRetry) {
  FakeSegment segment;
  segment.AddHost({.ip = HostIp(3), .mac = HostMac(3), .answer_from_attempt = 2});
  ArpSweepOptions o = Options("198.18.0.0/29");
  o.retries = 1;
  ArpSweep sweep(o, &segment, segment.Clock());
  ASSERT_TRUE(sweep.Run().ok());
  ASSERT_EQ(sweep.replies().size(), 1u);
  EXPECT_EQ(FormatIpv4(sweep.replies()[0].ip), "198.18.0.3");
}

TEST(ArpSweep, MissesAHostThatNeedsARetryWhenThereIsNone) {
  FakeSegment segment;
  segment.AddHost({.ip = HostIp(3), .mac = HostMac(3), .answer_from_attempt = 2});
  ArpSweepOptions o = Options("198.18.0.0/29");
  o.retries = 0;
  ArpSweep sweep(o, &segment, segment.Clock());
  ASSERT_TRUE(sweep.Run().ok());
  EXPECT_TRUE(sweep.replies().empty());
  EXPECT_EQ(sweep.summary().sent, 6u);
}

TEST(ArpSweep, FlagsAnAddressAnsweredByTwoMacs) {
  FakeSegment segment;
  segment.AddHost({HostIp(2), HostMac(2)});
  segment.AddHost({.ip = HostIp(2), .mac = HostMac(3), .rtt_us = 900});
  segment.AddHost({HostIp(4), HostMac(4)});
  ArpSweep sweep(Options("198.18.0.0/29"), &segment, segment.Clock());
  ASSERT_TRUE(sweep.Run().ok());
  ASSERT_EQ(sweep.replies().size(), 3u);
  EXPECT_TRUE(sweep.replies()[0].duplicate_ip);
  EXPECT_TRUE(sweep.replies()[1].duplicate_ip);
  EXPECT_EQ(sweep.replies()[1].mac, HostMac(3));
  EXPECT_FALSE(sweep.replies()[2].duplicate_ip);
  EXPECT_EQ(sweep.summary().answered, 2u);
}

TEST(ArpSweep, FlagsAMacAnsweringForTwoAddresses) {
  FakeSegment segment;
  segment.AddHost({HostIp(1), HostMac(1)});
  segment.AddHost({HostIp(6), HostMac(1)});
  segment.AddHost({HostIp(4), HostMac(4)});
  ArpSweep sweep(Options("198.18.0.0/29"), &segment, segment.Clock());
  ASSERT_TRUE(sweep.Run().ok());
  ASSERT_EQ(sweep.replies().size(), 3u);
  EXPECT_TRUE(sweep.replies()[0].duplicate_mac);
  EXPECT_FALSE(sweep.replies()[1].duplicate_mac);
  EXPECT_TRUE(sweep.replies()[2].duplicate_mac);
}

TEST(ArpSweep, IgnoresRepliesFromAddressesItDidNotAsk) {
  FakeSegment segment;
  segment.InjectUnsolicitedReply({HostIp(200), HostMac(200)});
  segment.AddHost({HostIp(1), HostMac(1)});
  ArpSweep sweep(Options("198.18.0.0/30"), &segment, segment.Clock());
  ASSERT_TRUE(sweep.Run().ok());
  ASSERT_EQ(sweep.replies().size(), 1u);
  EXPECT_EQ(sweep.replies()[0].ip, HostIp(1));
}

// In simulated time: no 100 ms window holds more requests than the rate allows
// (plus the small burst), and the sweep takes as long as the rate implies.
TEST(ArpSweep, KeepsToTheConfiguredPacketRate) {
  FakeSegment segment;
  ArpSweepOptions o = Options("198.18.0.0/22");  // 1022 targets, all silent
  o.rate_pps = 500;
  o.retries = 0;
  ArpSweep sweep(o, &segment, segment.Clock());
  const int64_t start = segment.now();
  ASSERT_TRUE(sweep.Run().ok());
  const auto& requests = segment.requests();
  ASSERT_EQ(requests.size(), 1022u);
  const int64_t sending_us = requests.back().first - requests.front().first;
  EXPECT_GE(sending_us, 2'000'000);  // 1021 intervals of 2 ms, minus one burst
  EXPECT_LE(sending_us, 2'100'000);
  size_t window_start = 0;
  for (size_t i = 0; i < requests.size(); ++i) {
    while (requests[i].first - requests[window_start].first >= 100'000) ++window_start;
    EXPECT_LE(i - window_start + 1, 52u);
  }
  // The sweep ends one timeout after its last request.
  EXPECT_EQ(segment.now() - requests.back().first >= o.timeout.count(), true);
  EXPECT_LT(segment.now() - start, sending_us + o.timeout.count() + 60'000);
}

TEST(ArpSweep, CollectsALateReplyWithinTheTimeout) {
  FakeSegment segment;
  ArpSweepOptions o = Options("198.18.0.0/30");
  o.retries = 0;
  o.timeout = std::chrono::milliseconds(200);
  segment.AddHost({.ip = HostIp(2), .mac = HostMac(2), .rtt_us = 150'000});
  ArpSweep sweep(o, &segment, segment.Clock());
  ASSERT_TRUE(sweep.Run().ok());
  ASSERT_EQ(sweep.replies().size(), 1u);
  EXPECT_EQ(sweep.replies()[0].rtt_us, 150'000u);
}

TEST(ArpSweep, ReportsProgressAndEndsWithDone) {
  FakeSegment segment;
  segment.AddHost({HostIp(1), HostMac(1)});
  ArpSweepOptions o = Options("198.18.0.0/24");
  o.progress_interval = std::chrono::milliseconds(50);
  ArpSweep sweep(o, &segment, segment.Clock());
  std::vector<ArpSweepProgress> seen;
  ASSERT_TRUE(sweep.Run([&](const ArpSweepProgress& p) { seen.push_back(p); }).ok());
  ASSERT_GE(seen.size(), 3u);
  EXPECT_FALSE(seen.front().done);
  EXPECT_LE(seen.front().probed, seen[1].probed);
  EXPECT_TRUE(seen.back().done);
  EXPECT_EQ(seen.back().probed, 254u);
  EXPECT_EQ(seen.back().answered, 1u);
}

}  // namespace
}  // namespace estate::plugins
