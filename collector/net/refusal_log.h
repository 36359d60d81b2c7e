// RefusalLog: says whether a refusal deserves a log line. A client that keeps
// failing (wrong CA, bad key, over its rate, a scanner hammering the port) is
// logged once per reason per minute, not once per attempt, so it cannot flood
// the journal; every refusal is still counted in ServerCounters.
// Thread-safe.
#ifndef ESTATE_COLLECTOR_NET_REFUSAL_LOG_H_
#define ESTATE_COLLECTOR_NET_REFUSAL_LOG_H_

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace estate::collector {

class RefusalLog {
 public:
  using Clock = std::chrono::steady_clock;
  explicit RefusalLog(Clock::duration window = std::chrono::minutes(1)) : window_(window) {}

  // True the first time (`reason`, `client`) is seen in the window; `client`
  // is an address without port, or a node id.
  bool ShouldLog(const std::string& reason, const std::string& client,
                 Clock::time_point now = Clock::now());

 private:
  static constexpr size_t kMaxEntries = 10000;

  const Clock::duration window_;
  std::mutex mu_;
  std::map<std::pair<std::string, std::string>, Clock::time_point> last_;
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_NET_REFUSAL_LOG_H_
