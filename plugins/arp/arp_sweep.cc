#include "plugins/arp/arp_sweep.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <span>

#include "plugins/passive/arp_decoder.h"

namespace estate::plugins {

MicrosClock SteadyMicrosClock() {
  return [] {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  };
}

namespace {

// Requests go out in bursts of up to kBurst, one per tick of at most
// kMaxTickUs: 64 every 128 ms at 500/s, 64 every 6.4 ms at 10,000/s. A
// wake-up and a system call cost more than a frame, and on a segment of many
// hosts each broadcast's fan-out costs less while caches are warm from the
// previous one, so fewer, larger bursts at the same average rate cost less
// CPU (a burst of 64 minimal frames is 43 us of a gigabit link).
constexpr double kBurst = 64;
constexpr int64_t kMaxTickUs = 128000;
// Frames per Send: the replies they provoke must fit in the socket's queue
// until the next drain.
constexpr size_t kMaxBatch = 64;
// Where a request frame holds the target's address (Ethernet 14 + ARP 24).
constexpr size_t kTargetIpOffset = 38;

int64_t WallMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

ArpSweep::ArpSweep(ArpSweepOptions options, ArpLink* link, MicrosClock clock)
    : options_(std::move(options)), link_(link), clock_(std::move(clock)) {
  state_.resize(options_.targets.size());
  progress_.targets = options_.targets.size();
  const std::vector<uint8_t> frame = BuildArpRequest(options_.source_mac, options_.source_ip, 0);
  std::copy_n(frame.begin(), std::min(frame.size(), request_.size()), request_.begin());
}

void ArpSweep::Queue(uint32_t index, int64_t now) {
  ArpLink::Frame& frame = burst_.emplace_back(request_);
  const uint32_t ip = options_.targets[index];
  for (int i = 0; i < 4; ++i) frame[kTargetIpOffset + i] = static_cast<uint8_t>(ip >> (24 - 8 * i));
  Target& t = state_[index];
  if (t.attempts == 0) ++progress_.probed;
  ++t.attempts;
  t.last_sent_us = now;
  ++progress_.sent;
  if (t.attempts <= options_.retries) {
    retries_.push_back({index, now + options_.retry_interval.count()});
  }
}

Status ArpSweep::SendBurst() {
  const std::span<const ArpLink::Frame> frames(burst_);
  for (size_t i = 0; i < frames.size(); i += kMaxBatch) {
    if (i > 0) ESTATE_RETURN_IF_ERROR(Receive(std::chrono::microseconds(0)));
    ESTATE_RETURN_IF_ERROR(link_->Send(frames.subspan(i, std::min(kMaxBatch, frames.size() - i))));
  }
  burst_.clear();
  return Status::Ok();
}

Status ArpSweep::Receive(std::chrono::microseconds wait) {
  return link_->Receive(wait, [this](const CapturedPacket& packet) { HandleFrame(packet); });
}

void ArpSweep::HandleFrame(const CapturedPacket& packet) {
  auto link = DecodeLinkLayer(kLinkTypeEthernet, packet.data);
  if (!link.ok() || link->ether_type != kEtherTypeArp || link->snap) return;
  auto arp = DecodeArp(link->payload);
  if (!arp.ok() || arp->operation != kArpReply) return;
  const auto it =
      std::lower_bound(options_.targets.begin(), options_.targets.end(), arp->sender_ip);
  if (it == options_.targets.end() || *it != arp->sender_ip) return;
  Target& t = state_[static_cast<size_t>(it - options_.targets.begin())];
  if (t.attempts == 0) return;  // not asked (yet): someone else's reply
  // One entry per (IP, MAC) pair. A second reply for a target is rare (an
  // answer to a retry, a shared IP), so a scan of the list is cheap enough.
  if (t.answered) {
    for (const ArpReply& r : replies_) {
      if (r.ip == arp->sender_ip && r.mac == arp->sender_mac) return;
    }
  }
  if (!t.answered) ++progress_.answered;
  t.answered = true;
  // The reply may have waited in the queue while the sweep slept: its round
  // trip ends when it was captured, not when it is read.
  int64_t arrived = clock_();
  if (packet.timestamp_us != 0) {
    arrived -= std::max<int64_t>(0, link_->CaptureClockMicros() - packet.timestamp_us);
  }
  ArpReply reply;
  reply.ip = arp->sender_ip;
  reply.mac = arp->sender_mac;
  // At least 1 us: no reply beats its request, and 0 would read as "not measured".
  reply.rtt_us = static_cast<uint32_t>(std::max<int64_t>(1, arrived - t.last_sent_us));
  reply.seen_at_us = packet.timestamp_us != 0 ? packet.timestamp_us : WallMicros();
  replies_.push_back(reply);
}

Status ArpSweep::Run(const std::function<void(const ArpSweepProgress&)>& progress) {
  const size_t n = options_.targets.size();
  const double rate = std::max(1.0, options_.rate_pps);
  // The bucket starts with one burst and holds two, so a late wake-up on a
  // busy machine catches up instead of lowering the average rate.
  const double quantum = std::clamp(std::floor(rate * kMaxTickUs / 1e6), 1.0, kBurst);
  const double bucket = 2 * quantum;
  const int64_t start = clock_();
  int64_t last_refill = start;
  int64_t last_send = start;
  int64_t next_progress = start + options_.progress_interval.count();
  double tokens = quantum;
  size_t cursor = 0;
  retries_.reserve(
      std::min<size_t>(n * static_cast<size_t>(std::max(0, options_.retries)), 1 << 20));
  burst_.reserve(static_cast<size_t>(bucket));
  auto skip_answered = [&] {
    while (retry_head_ < retries_.size() && state_[retries_[retry_head_].index].answered) {
      ++retry_head_;
    }
  };

  while (true) {
    // Replies first, so that a target that answered meanwhile is not asked again.
    ESTATE_RETURN_IF_ERROR(Receive(std::chrono::microseconds(0)));
    const int64_t now = clock_();
    tokens = std::min(bucket, tokens + (now - last_refill) * rate / 1e6);
    last_refill = now;

    // Spend the bucket in one burst: due retries first, then new targets.
    while (tokens >= 1.0) {
      skip_answered();
      uint32_t index;
      if (retry_head_ < retries_.size() && retries_[retry_head_].due_us <= now) {
        index = retries_[retry_head_++].index;
      } else if (cursor < n) {
        index = static_cast<uint32_t>(cursor++);
      } else {
        break;
      }
      Queue(index, now);
      tokens -= 1.0;
    }
    if (!burst_.empty()) {
      ESTATE_RETURN_IF_ERROR(SendBurst());
      last_send = now;
    }
    if (retry_head_ * 2 > retries_.size() && retry_head_ > 4096) {
      retries_.erase(retries_.begin(), retries_.begin() + static_cast<long>(retry_head_));
      retry_head_ = 0;
    }

    // Done when nothing is left to send and the last request had its time.
    skip_answered();
    const bool nothing_to_send = cursor >= n && retry_head_ >= retries_.size();
    if (nothing_to_send &&
        (progress_.answered == n || now >= last_send + options_.timeout.count())) {
      break;
    }
    if (progress && now >= next_progress) {
      const double elapsed = (now - start) / 1e6;
      progress_.rate_pps = elapsed > 0 ? progress_.sent / elapsed : 0;
      const double left = static_cast<double>(n - cursor) + (retries_.size() - retry_head_);
      progress_.eta_seconds =
          left / rate + (options_.retry_interval.count() + options_.timeout.count()) / 1e6;
      progress(progress_);
      next_progress = now + options_.progress_interval.count();
    }

    if (nothing_to_send) {
      // Only late replies to wait for: wake for each, to stop as soon as every target answered.
      const auto wait = std::chrono::microseconds(last_send + options_.timeout.count() - now);
      ESTATE_RETURN_IF_ERROR(Receive(wait));
      continue;
    }
    // Sleep until the next burst: a full one while new targets remain, else
    // the next retries that fall due (one group per earlier burst). Replies
    // wait in the socket's queue meanwhile; waking for each would cost more
    // than the sweep's own work.
    auto token_time = [&](double needed) {
      return now + static_cast<int64_t>(std::max(0.0, needed - tokens) * 1e6 / rate) + 1;
    };
    const int64_t wake =
        cursor < n ? token_time(quantum) : std::max(token_time(1), retries_[retry_head_].due_us);
    link_->Sleep(std::chrono::microseconds(wake - clock_()));
  }
  Finish();
  const double elapsed = (clock_() - start) / 1e6;
  progress_.rate_pps = elapsed > 0 ? progress_.sent / elapsed : 0;
  progress_.eta_seconds = 0;
  progress_.done = true;
  if (progress) progress(progress_);
  return Status::Ok();
}

void ArpSweep::Finish() {
  std::sort(replies_.begin(), replies_.end(), [](const ArpReply& a, const ArpReply& b) {
    return a.ip != b.ip ? a.ip < b.ip : a.mac < b.mac;
  });
  std::map<MacBytes, int> ips_per_mac;
  for (const ArpReply& r : replies_) ++ips_per_mac[r.mac];
  for (size_t i = 0; i < replies_.size(); ++i) {
    ArpReply& r = replies_[i];
    r.duplicate_ip = (i > 0 && replies_[i - 1].ip == r.ip) ||
                     (i + 1 < replies_.size() && replies_[i + 1].ip == r.ip);
    r.duplicate_mac = ips_per_mac[r.mac] > 1;
  }
}

}  // namespace estate::plugins
