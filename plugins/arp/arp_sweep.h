// ArpSweep: the active ARP scan of one Ethernet segment. Broadcasts "who has"
// requests to each target at a bounded packet rate (a token bucket, spent in
// bursts of up to 64 requests), retries the silent ones after a retry
// interval, and collects every reply until the last request's timeout has
// passed. Between bursts it sleeps; replies wait for it in the link's queue.
//
// The engine only sees an ArpLink and a clock, so tests drive it with a
// simulated segment. Memory is a few bytes per target plus one entry per
// reply. Not thread-safe; one Run per object.
#ifndef ESTATE_PLUGINS_ARP_ARP_SWEEP_H_
#define ESTATE_PLUGINS_ARP_ARP_SWEEP_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "estate/status.h"
#include "plugins/arp/arp_link.h"
#include "plugins/passive/link_layer.h"

namespace estate::plugins {

// Monotonic microseconds; steady_clock in production, simulated in tests.
using MicrosClock = std::function<int64_t()>;
MicrosClock SteadyMicrosClock();

struct ArpSweepOptions {
  std::vector<uint32_t> targets;  // sorted, unique (ExpandTargets)
  MacBytes source_mac{};
  uint32_t source_ip = 0;
  double rate_pps = 500;  // requests per second, retries included; arp-scan's default
  int retries = 1;        // extra requests to a silent target
  // A silent target is asked again after retry_interval; the sweep ends
  // `timeout` after its last request. Replies to any request count, so a slow
  // host has at least `timeout` to answer, and a lost request costs only the
  // shorter retry_interval.
  std::chrono::microseconds retry_interval{100000};
  std::chrono::microseconds timeout{200000};
  std::chrono::microseconds progress_interval{250000};
};

// One (IP, MAC) pair that answered.
struct ArpReply {
  uint32_t ip = 0;
  MacBytes mac{};
  uint32_t rtt_us = 0;         // from the last request to the first reply of this pair
  int64_t seen_at_us = 0;      // capture time of that reply, epoch microseconds
  bool duplicate_ip = false;   // this IP was also answered by another MAC
  bool duplicate_mac = false;  // this MAC also answered for another IP
};

struct ArpSweepProgress {
  uint64_t targets = 0;
  uint64_t probed = 0;    // targets sent at least one request
  uint64_t answered = 0;  // targets with at least one reply
  uint64_t sent = 0;      // requests, retries included
  double rate_pps = 0;    // measured send rate
  double eta_seconds = 0;
  bool done = false;
};

class ArpSweep {
 public:
  ArpSweep(ArpSweepOptions options, ArpLink* link, MicrosClock clock);

  // Sends, receives and waits until every target answered or ran out of
  // retries and timeouts. `progress` (optional) is called every
  // progress_interval and once at the end.
  Status Run(const std::function<void(const ArpSweepProgress&)>& progress = {});

  // Replies sorted by IP then MAC, duplicate flags set.
  const std::vector<ArpReply>& replies() const { return replies_; }
  const ArpSweepProgress& summary() const { return progress_; }

 private:
  struct Target {
    int64_t last_sent_us = 0;  // monotonic
    uint8_t attempts = 0;
    bool answered = false;
  };
  struct Retry {
    uint32_t index;
    int64_t due_us;
  };

  // Queues a request to the target in `burst_`.
  void Queue(uint32_t index, int64_t now);
  // Sends the queued burst, taking in the replies that arrived before each batch.
  Status SendBurst();
  // Takes in the replies that arrived; when there are none, first waits up to `wait` for one.
  Status Receive(std::chrono::microseconds wait);
  void HandleFrame(const CapturedPacket& packet);
  void Finish();

  ArpSweepOptions options_;
  ArpLink* link_;
  MicrosClock clock_;
  ArpLink::Frame request_{};  // the request frame; each target patches its address in
  std::vector<ArpLink::Frame> burst_;
  std::vector<Target> state_;
  std::vector<Retry> retries_;  // ring ordered by due time (constant timeout)
  size_t retry_head_ = 0;
  std::vector<ArpReply> replies_;
  ArpSweepProgress progress_;
};

}  // namespace estate::plugins

#endif  // ESTATE_PLUGINS_ARP_ARP_SWEEP_H_
