#include "plugins/arp/arp_sweep.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <map>
#include <string>

#include "plugins/arp/target_range.h"
#include "plugins/passive/arp_decoder.h"

namespace estate::plugins {
namespace {

const MacBytes kScannerMac{0x02, 0xe5, 0x7a, 0xff, 0xff, 0xfe};
constexpr uint32_t kScannerIp = 0xc61200fe;

MacBytes HostMac(int i) { return {0x00, 0x16, 0x3e, 0, 0, static_cast<uint8_t>(i)}; }
uint32_t HostIp(int i) { return 0xc6120000u + static_cast<uint32_t>(i); }

constexpr int64_t kEpochUs = 1'700'000'000'000'000;

// A simulated Ethernet segment in simulated time: hosts answer the requests
// the sweep sends after their round-trip time; replies wait in a queue until
// the sweep reads them, stamped with their arrival time. Receive() and
// Sleep() advance the clock.
class FakeSegment : public ArpLink {
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
  // Sizes of the batches handed to Send, in order.
  const std::vector<size_t>& batches() const { return batches_; }
  // Receive calls that waited for a frame (rather than only taking what was there).
  int waits() const { return waits_; }
  // "S" per Send and "R" per Receive, in order.
  const std::string& calls() const { return calls_; }
  // The next Sleep lasts this much longer than asked.
  void OversleepOnce(int64_t extra_us) { oversleep_us_ = extra_us; }

  Status Send(std::span<const Frame> frames) override {
    batches_.push_back(frames.size());
    calls_ += 'S';
    for (const Frame& frame : frames) {
      auto link = DecodeLinkLayer(kLinkTypeEthernet, frame);
      EXPECT_TRUE(link.ok());
      auto arp = DecodeArp(link->payload);
      EXPECT_TRUE(arp.ok());
      EXPECT_EQ(arp->operation, kArpRequest);
      EXPECT_EQ(arp->sender_mac, kScannerMac);
      EXPECT_EQ(arp->sender_ip, kScannerIp);
      requests_.push_back({now_, arp->target_ip});
      const int attempt = ++attempts_[arp->target_ip];
      for (const Host& h : hosts_) {
        if (h.ip != arp->target_ip || attempt < h.answer_from_attempt) continue;
        Pending p{now_ + h.rtt_us, Reply(h)};
        auto at = std::upper_bound(pending_.begin(), pending_.end(), p.at,
                                   [](int64_t t, const Pending& q) { return t < q.at; });
        pending_.insert(at, std::move(p));
      }
    }
    return Status::Ok();
  }

  Status Receive(std::chrono::microseconds wait, const FrameHandler& on_frame) override {
    calls_ += 'R';
    if (Deliver(on_frame) > 0 || wait.count() <= 0) return Status::Ok();
    ++waits_;
    if (!pending_.empty() && pending_.front().at <= now_ + wait.count()) {
      now_ = pending_.front().at;
    } else {
      now_ += wait.count();
    }
    Deliver(on_frame);
    return Status::Ok();
  }

  void Sleep(std::chrono::microseconds duration) override {
    now_ += std::max<int64_t>(0, duration.count()) + oversleep_us_;
    oversleep_us_ = 0;
  }

  int64_t CaptureClockMicros() const override { return kEpochUs + now_; }

  // A reply addressed to the scanner from someone it never asked.
  void InjectUnsolicitedReply(const Host& h) { pending_.push_front({now_, Reply(h)}); }

 private:
  struct Pending {
    int64_t at;
    std::vector<uint8_t> frame;
  };

  // Hands over the replies that have arrived by now.
  int Deliver(const FrameHandler& on_frame) {
    int n = 0;
    while (!pending_.empty() && pending_.front().at <= now_) {
      current_ = std::move(pending_.front().frame);
      CapturedPacket packet;
      packet.timestamp_us = kEpochUs + pending_.front().at;
      pending_.pop_front();
      packet.data = current_;
      packet.wire_length = static_cast<uint32_t>(current_.size());
      on_frame(packet);
      ++n;
    }
    return n;
  }

  static std::vector<uint8_t> Reply(const Host& h) {
    std::vector<uint8_t> f = BuildArpRequest(h.mac, h.ip, kScannerIp);
    std::copy(kScannerMac.begin(), kScannerMac.end(), f.begin());  // unicast to the scanner
    f[21] = kArpReply;
    std::copy(kScannerMac.begin(), kScannerMac.end(), f.begin() + 32);
    return f;
  }

  int64_t now_ = 1'000'000;
  std::vector<Host> hosts_;
  std::deque<Pending> pending_;
  std::vector<uint8_t> current_;
  std::vector<std::pair<int64_t, uint32_t>> requests_;
  std::map<uint32_t, int> attempts_;
  std::vector<size_t> batches_;
  int waits_ = 0;
  std::string calls_;
  int64_t oversleep_us_ = 0;
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

// In simulated time: the first burst of 64 goes at once, the rest at the
// rate, and no second holds more requests than the rate allows plus one burst.
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
  EXPECT_GE(sending_us, (1022 - 64) * 2'000);
  EXPECT_LE(sending_us, 2'000'000);
  size_t window_start = 0;
  for (size_t i = 0; i < requests.size(); ++i) {
    while (requests[i].first - requests[window_start].first >= 1'000'000) ++window_start;
    EXPECT_LE(i - window_start + 1, 500u + 64u);
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

// Replies wait in the queue while the sweep sleeps between bursts; the round
// trip still ends at each reply's capture time.
TEST(ArpSweep, MeasuresTheRoundTripToTheCaptureTimeNotTheReadTime) {
  FakeSegment segment;
  segment.AddHost({.ip = HostIp(1), .mac = HostMac(1), .rtt_us = 250});
  segment.AddHost({.ip = HostIp(2), .mac = HostMac(2), .rtt_us = 7'000});
  segment.AddHost({.ip = HostIp(3), .mac = HostMac(3), .rtt_us = 31'000});
  ArpSweep sweep(Options("198.18.0.0/28"), &segment, segment.Clock());
  ASSERT_TRUE(sweep.Run().ok());
  ASSERT_EQ(sweep.replies().size(), 3u);
  EXPECT_EQ(sweep.replies()[0].rtt_us, 250u);
  EXPECT_EQ(sweep.replies()[1].rtt_us, 7'000u);
  EXPECT_EQ(sweep.replies()[2].rtt_us, 31'000u);
  EXPECT_EQ(sweep.replies()[0].seen_at_us, kEpochUs + 1'000'000 + 250);
}

// A wake-up costs more than a frame: bursts of 64 requests at 500/s, and no
// wake-up per reply while there is still something to send.
TEST(ArpSweep, SendsInBurstsAndDoesNotWakeForEachReply) {
  FakeSegment segment;
  for (int i = 1; i <= 1022; ++i) {
    segment.AddHost(
        {HostIp(i), {0x00, 0x16, 0x3e, 0, static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)}});
  }
  ArpSweepOptions o = Options("198.18.0.0/22");
  o.rate_pps = 500;
  ArpSweep sweep(o, &segment, segment.Clock());
  ASSERT_TRUE(sweep.Run().ok());
  EXPECT_EQ(sweep.summary().answered, 1022u);
  EXPECT_EQ(sweep.summary().sent, 1022u);
  EXPECT_EQ(segment.batches().size(), 16u);  // 15 of 64, one of 62
  for (size_t b : segment.batches()) EXPECT_LE(b, 64u);
  EXPECT_LE(segment.waits(), 2);  // only after the last burst
}

// A wake-up that comes late (a busy machine) catches up with a double burst,
// sent in batches of 64 with the replies taken in between, so that the
// replies a batch provokes fit in the socket's queue.
TEST(ArpSweep, CatchesUpAfterALateWakeUpInBatchesOf64) {
  FakeSegment segment;
  segment.OversleepOnce(400'000);
  ArpSweepOptions o = Options("198.18.0.0/22");
  o.rate_pps = 500;
  o.retries = 0;
  ArpSweep sweep(o, &segment, segment.Clock());
  ASSERT_TRUE(sweep.Run().ok());
  EXPECT_EQ(segment.requests().size(), 1022u);
  std::map<int64_t, size_t> per_burst;
  for (const auto& r : segment.requests()) ++per_burst[r.first];
  size_t largest = 0;
  for (const auto& [at, count] : per_burst) largest = std::max(largest, count);
  EXPECT_EQ(largest, 128u);
  for (size_t b : segment.batches()) EXPECT_LE(b, 64u);
  EXPECT_EQ(segment.calls().find("SS"), std::string::npos) << segment.calls();
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
