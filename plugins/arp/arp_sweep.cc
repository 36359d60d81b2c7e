#include "plugins/arp/arp_sweep.h"

#include <algorithm>
#include <cmath>
#include <map>

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

int64_t WallMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

ArpSweep::ArpSweep(ArpSweepOptions options, PacketSource* source, MicrosClock clock)
    : options_(std::move(options)), source_(source), clock_(std::move(clock)) {
  state_.resize(options_.targets.size());
  progress_.targets = options_.targets.size();
}

Status ArpSweep::SendTo(uint32_t index, int64_t now) {
  const std::vector<uint8_t> frame =
      BuildArpRequest(options_.source_mac, options_.source_ip, options_.targets[index]);
  ESTATE_RETURN_IF_ERROR(source_->Inject(frame));
  Target& t = state_[index];
  if (t.attempts == 0) ++progress_.probed;
  ++t.attempts;
  t.last_sent_us = now;
  ++progress_.sent;
  if (t.attempts <= options_.retries) {
    retries_.push_back({index, now + options_.retry_interval.count()});
  }
  return Status::Ok();
}

void ArpSweep::HandleFrame(const CapturedPacket& packet, int64_t now) {
  auto link = DecodeLinkLayer(source_->link_type(), packet.data);
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
  ArpReply reply;
  reply.ip = arp->sender_ip;
  reply.mac = arp->sender_mac;
  reply.rtt_us = static_cast<uint32_t>(std::max<int64_t>(0, now - t.last_sent_us));
  reply.seen_at_us = packet.timestamp_us != 0 ? packet.timestamp_us : WallMicros();
  replies_.push_back(reply);
}

Status ArpSweep::Run(const std::function<void(const ArpSweepProgress&)>& progress) {
  const size_t n = options_.targets.size();
  const double rate = std::max(1.0, options_.rate_pps);
  // Wake-ups come every few milliseconds (a quantum of tokens: 4 packets at
  // 1,000/s, 40 at 10,000/s). The bucket holds 20 ms of tokens so that a late
  // wake-up on a busy machine catches up instead of lowering the average rate.
  const double burst = std::max(1.0, rate * 0.02);
  const double quantum = std::max(1.0, std::floor(rate * 0.004));
  const int64_t start = clock_();
  int64_t last_refill = start;
  int64_t last_send = start;
  int64_t next_progress = start + options_.progress_interval.count();
  double tokens = 1.0;
  size_t cursor = 0;
  retries_.reserve(
      std::min<size_t>(n * static_cast<size_t>(std::max(0, options_.retries)), 1 << 20));

  while (true) {
    int64_t now = clock_();
    tokens = std::min(burst, tokens + (now - last_refill) * rate / 1e6);
    last_refill = now;

    // Send what the bucket allows: due retries first, then new targets.
    while (tokens >= 1.0) {
      while (retry_head_ < retries_.size() && state_[retries_[retry_head_].index].answered) {
        ++retry_head_;
      }
      uint32_t index;
      if (retry_head_ < retries_.size() && retries_[retry_head_].due_us <= now) {
        index = retries_[retry_head_++].index;
      } else if (cursor < n) {
        index = static_cast<uint32_t>(cursor++);
      } else {
        break;
      }
      ESTATE_RETURN_IF_ERROR(SendTo(index, now));
      last_send = now;
      tokens -= 1.0;
    }
    if (retry_head_ * 2 > retries_.size() && retry_head_ > 4096) {
      retries_.erase(retries_.begin(), retries_.begin() + static_cast<long>(retry_head_));
      retry_head_ = 0;
    }

    // Done when nothing is left to send and the last request had its time.
    while (retry_head_ < retries_.size() && state_[retries_[retry_head_].index].answered) {
      ++retry_head_;
    }
    const bool nothing_to_send = cursor >= n && retry_head_ >= retries_.size();
    if (nothing_to_send &&
        (progress_.answered == n || now >= last_send + options_.timeout.count())) {
      break;
    }

    // Wait for a reply, the next token or the next due retry, whichever is first.
    int64_t wake = now + 50000;
    if (cursor < n || retry_head_ < retries_.size()) {
      // Wake for a few packets at a time, not each one: fewer wake-ups, the
      // same average rate.
      const int64_t token_at = now + static_cast<int64_t>((quantum - tokens) * 1e6 / rate) + 1;
      int64_t due = token_at;
      if (cursor >= n) due = std::max(token_at, retries_[retry_head_].due_us);
      wake = std::min(wake, due);
    } else {
      wake = std::min(wake, last_send + options_.timeout.count());
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
    bool first = true;
    while (true) {
      CapturedPacket packet;
      const int64_t wait = first ? std::max<int64_t>(0, wake - clock_()) : 0;
      first = false;
      auto got = source_->Next(std::chrono::microseconds(wait), &packet);
      if (!got.ok()) {
        if (got.status().IsNotFound()) break;
        return got.status();
      }
      if (!*got) break;
      HandleFrame(packet, clock_());
    }
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
