// ByteBudget: a server-wide cap on bytes held for one purpose — here, what
// connections that have not yet authenticated hold (their read buffers and
// their TLS state), so that many connections that never say Hello cannot
// together exhaust the collector's memory, whatever each of them declares.
// Thread-safe (one atomic).
#ifndef ESTATE_COLLECTOR_NET_BYTE_BUDGET_H_
#define ESTATE_COLLECTOR_NET_BYTE_BUDGET_H_

#include <atomic>
#include <cstddef>
#include <utility>

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

// ByteCharge: bytes one owner holds from a ByteBudget, given back when it is
// destroyed or reset. Movable, not copyable; not thread-safe (one owner).
class ByteCharge {
 public:
  ByteCharge() = default;
  // Takes `bytes` from `budget`; held() is false when the budget lacks them.
  ByteCharge(ByteBudget* budget, size_t bytes)
      : budget_(budget != nullptr && budget->TryCharge(bytes) ? budget : nullptr),
        bytes_(budget_ != nullptr ? bytes : 0) {}
  ~ByteCharge() { Reset(); }
  ByteCharge(ByteCharge&& other) noexcept
      : budget_(std::exchange(other.budget_, nullptr)), bytes_(std::exchange(other.bytes_, 0)) {}
  ByteCharge& operator=(ByteCharge&& other) noexcept {
    if (this != &other) {
      Reset();
      budget_ = std::exchange(other.budget_, nullptr);
      bytes_ = std::exchange(other.bytes_, 0);
    }
    return *this;
  }

  bool held() const { return budget_ != nullptr; }
  size_t bytes() const { return bytes_; }

  // Gives back all but `bytes` (never takes more).
  void ShrinkTo(size_t bytes) {
    if (budget_ != nullptr && bytes < bytes_) {
      budget_->Release(bytes_ - bytes);
      bytes_ = bytes;
    }
  }
  void Reset() {
    if (budget_ != nullptr) budget_->Release(bytes_);
    budget_ = nullptr;
    bytes_ = 0;
  }

 private:
  ByteBudget* budget_ = nullptr;
  size_t bytes_ = 0;
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_NET_BYTE_BUDGET_H_
