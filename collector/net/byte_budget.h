// ByteBudget: a server-wide cap on bytes held for one purpose — here, the
// read buffers of connections that have not yet authenticated, so that many
// connections that never say Hello cannot together exhaust the collector's
// memory, whatever each of them declares. Thread-safe (one atomic).
#ifndef ESTATE_COLLECTOR_NET_BYTE_BUDGET_H_
#define ESTATE_COLLECTOR_NET_BYTE_BUDGET_H_

#include <atomic>
#include <cstddef>

namespace estate::collector {

class ByteBudget {
 public:
  explicit ByteBudget(size_t limit) : limit_(limit) {}
  ByteBudget(const ByteBudget&) = delete;
  ByteBudget& operator=(const ByteBudget&) = delete;

  // Takes `bytes` from the budget; false (and nothing taken) when that would
  // exceed the limit.
  bool TryCharge(size_t bytes) {
    size_t used = used_.load(std::memory_order_relaxed);
    do {
      if (used > limit_ || bytes > limit_ - used) return false;
    } while (!used_.compare_exchange_weak(used, used + bytes, std::memory_order_relaxed));
    return true;
  }
  void Release(size_t bytes) { used_.fetch_sub(bytes, std::memory_order_relaxed); }

  size_t used() const { return used_.load(std::memory_order_relaxed); }
  size_t limit() const { return limit_; }

 private:
  const size_t limit_;
  std::atomic<size_t> used_{0};
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_NET_BYTE_BUDGET_H_
