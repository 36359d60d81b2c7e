#include "collector/auth/report_rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace estate::collector {

uint32_t ReportRateLimiter::Take(const std::string& node_id, Clock::time_point now) {
  if (limit_.per_minute <= 0) return 0;
  const double per_second = limit_.per_minute / 60.0;
  std::lock_guard lock(mu_);
  if (now - last_prune_ > std::chrono::minutes(5)) Prune(now);
  auto [it, added] = buckets_.try_emplace(node_id, Bucket{limit_.burst, now});
  Bucket& bucket = it->second;
  if (!added) {
    const double elapsed = std::chrono::duration<double>(now - bucket.at).count();
    bucket.tokens = std::min(limit_.burst, bucket.tokens + elapsed * per_second);
    bucket.at = now;
  }
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return 0;
  }
  return static_cast<uint32_t>(std::ceil((1 - bucket.tokens) / per_second * 1000));
}

void ReportRateLimiter::Prune(Clock::time_point now) {
  last_prune_ = now;
  const double per_second = limit_.per_minute / 60.0;
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    const double elapsed = std::chrono::duration<double>(now - it->second.at).count();
    if (it->second.tokens + elapsed * per_second >= limit_.burst) {
      it = buckets_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace estate::collector
