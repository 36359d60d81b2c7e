// ReportRateLimiter: a token bucket per node, so one node (a runaway agent or
// a stolen key in a loop) cannot fill the writer's queue for everybody. Each
// report takes a token; tokens refill at `per_minute` up to `burst`.
// Thread-safe.
#ifndef ESTATE_COLLECTOR_AUTH_REPORT_RATE_LIMITER_H_
#define ESTATE_COLLECTOR_AUTH_REPORT_RATE_LIMITER_H_

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace estate::collector {

struct RateLimit {
  double per_minute = 60;  // 0: no limit
  double burst = 30;
};

class ReportRateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  explicit ReportRateLimiter(RateLimit limit) : limit_(limit) {}

  // 0 when the report may go; else how long until a token is there, in ms.
  uint32_t Take(const std::string& node_id, Clock::time_point now = Clock::now());

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point at;
  };
  // Drops buckets that are full again, so memory follows the active nodes.
  void Prune(Clock::time_point now);

  const RateLimit limit_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
  Clock::time_point last_prune_;
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_AUTH_REPORT_RATE_LIMITER_H_
