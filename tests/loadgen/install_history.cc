#include "tests/loadgen/install_history.h"

#include <algorithm>
#include <cmath>

#include "tests/loadgen/det_random.h"

namespace estate::loadgen {
namespace {

// dpkg's pace within one transaction: the 305 packages of the build machine's
// largest transaction carry 86 distinct mtimes (docs/loadgen.md).
constexpr double kPackagesPerSecond = 3.5;

uint32_t SecondsFor(double packages) {
  return std::max<uint32_t>(1, static_cast<uint32_t>(std::ceil(packages / kPackagesPerSecond)));
}

}  // namespace

InstallHistory::InstallHistory(const InstallHistoryOptions& options, uint32_t agent)
    : seed_(options.seed), agent_(agent) {
  // The same OS install time the fleet has always reported in OsFacts.
  const int64_t span = options.epoch - options.earliest_os_install;
  os_install_ = options.epoch - static_cast<int64_t>(Hash("os-install", {seed_, agent}) %
                                                     static_cast<uint64_t>(span));
  Rng rng(Hash("apt-history", {seed_, agent}));
  // "Most of the others" come with the OS install (its tasks: desktop, server, ...).
  const double os_share = 0.6 + 0.3 * static_cast<double>(rng.Below(1001)) / 1000;
  os_share_threshold_ = static_cast<uint32_t>(os_share * (1 << 20));
  const uint32_t later = static_cast<uint32_t>(rng.Between(5, 30));
  starts_.push_back(os_install_);
  seconds_.push_back(SecondsFor(options.core_packages + os_share * options.expected_optional));
  // Later transactions: from a day after the OS install to an hour before
  // revision 0, each holding its share of the remaining optional packages.
  const int64_t first = os_install_ + 86400;
  const int64_t last = std::max(first + 1, options.revision_zero_at - 3600);
  for (uint32_t k = 0; k < later; ++k) {
    starts_.push_back(first + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(last - first))));
  }
  std::sort(starts_.begin() + 1, starts_.end());
  const double per_later = (1 - os_share) * options.expected_optional / later;
  for (uint32_t k = 0; k < later; ++k) seconds_.push_back(SecondsFor(per_later));
}

int64_t InstallHistory::InstallTime(uint32_t pool_index, bool core) const {
  const uint64_t h = Hash("pkg-time", {seed_, agent_, pool_index});
  size_t transaction = 0;
  if (!core && (h & 0xfffff) >= os_share_threshold_) {
    transaction = 1 + (h >> 20) % (starts_.size() - 1);
  }
  return starts_[transaction] + static_cast<int64_t>((h >> 40) % seconds_[transaction]);
}

}  // namespace estate::loadgen
