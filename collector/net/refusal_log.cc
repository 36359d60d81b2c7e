#include "collector/net/refusal_log.h"

namespace estate::collector {

bool RefusalLog::ShouldLog(const std::string& reason, const std::string& client,
                           Clock::time_point now) {
  std::lock_guard lock(mu_);
  if (last_.size() >= kMaxEntries) {
    for (auto it = last_.begin(); it != last_.end();) {
      it = now - it->second >= window_ ? last_.erase(it) : std::next(it);
    }
    // Still full: many distinct clients inside one window; log nothing new
    // rather than grow without bound.
    if (last_.size() >= kMaxEntries) return false;
  }
  auto [it, added] = last_.try_emplace({reason, client}, now);
  if (added) return true;
  if (now - it->second < window_) return false;
  it->second = now;
  return true;
}

}  // namespace estate::collector
