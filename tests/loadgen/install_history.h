// InstallHistory: when each package of one simulated agent was installed, as
// apt does it. A real Debian host's install times cluster by apt transaction
// (the OS install, then a handful of later `apt install`s), each transaction
// unpacking a few packages per second; see docs/loadgen.md for the evidence.
// A uniform draw per package would give every package its own second, which
// no real host has.
//
// A pure function of (seed, agent) and the fleet's package counts. Immutable
// after construction; cheap enough to build once per full report.
#ifndef ESTATE_TESTS_LOADGEN_INSTALL_HISTORY_H_
#define ESTATE_TESTS_LOADGEN_INSTALL_HISTORY_H_

#include <cstdint>
#include <vector>

namespace estate::loadgen {

struct InstallHistoryOptions {
  uint64_t seed = 1;
  int64_t earliest_os_install = 0;  // OS installs are spread over the 700 days before `epoch`
  int64_t epoch = 0;
  int64_t revision_zero_at = 0;  // later transactions happen before this
  uint32_t core_packages = 0;    // on every agent, all from the OS install
  double expected_optional = 0;  // mean optional packages an agent has installed
};

class InstallHistory {
 public:
  InstallHistory(const InstallHistoryOptions& options, uint32_t agent);

  int64_t os_install() const { return os_install_; }
  // The apt transactions after the OS install (5 to 30).
  uint32_t later_transactions() const { return static_cast<uint32_t>(starts_.size()) - 1; }
  // Install time of pool package `pool_index`: core packages come with the OS
  // install, most optional ones too, the rest each with one later transaction.
  int64_t InstallTime(uint32_t pool_index, bool core) const;

 private:
  uint64_t seed_;
  uint32_t agent_;
  int64_t os_install_;
  uint32_t os_share_threshold_;    // of 2^20: optional packages installed with the OS
  std::vector<int64_t> starts_;    // [0] the OS install, then the later ones in time order
  std::vector<uint32_t> seconds_;  // how long each transaction unpacked packages
};

}  // namespace estate::loadgen

#endif  // ESTATE_TESTS_LOADGEN_INSTALL_HISTORY_H_
