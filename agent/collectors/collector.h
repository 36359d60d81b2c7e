// Collector: one source of host facts (a file pair under agent/collectors/),
// run by agent/inventory.cc over the list in builtin_collectors.cc.
//
// A collector reads only through the CollectContext (its HostRoot and, for
// what has no file, the interfaces there), fills its part of HostFacts and
// turns every problem into a warning: a collector never fails the inventory.
// Collectors hold no state between runs and are thread-compatible.
#ifndef ESTATE_AGENT_COLLECTORS_COLLECTOR_H_
#define ESTATE_AGENT_COLLECTORS_COLLECTOR_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "estate/host_root.h"
#include "estate/status.h"
#include "estate/v1/facts.pb.h"

namespace estate::agent {

class InterfaceAddressSource;

struct CollectContext {
  HostRoot root;
  // Addresses of network interfaces; nullptr leaves them out.
  const InterfaceAddressSource* addresses = nullptr;
  // Live-system probes that have no file (ioctl, statvfs) run only when true.
  bool live = false;
  // Where a collector may keep what is costly to recompute (the agent's state
  // directory); empty: nothing is cached.
  std::string cache_dir;
};

class Collector {
 public:
  virtual ~Collector() = default;
  // Short name used in warnings ("dpkg", "smbios").
  virtual std::string_view Name() const = 0;
  virtual void Collect(const CollectContext& context, v1::HostFacts* facts) const = 0;
};

// Appends "<collector>: <status message>" to facts->warnings.
void AddWarning(v1::HostFacts* facts, std::string_view collector, const Status& status);
void AddWarning(v1::HostFacts* facts, std::string_view collector, std::string_view message);

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COLLECTORS_COLLECTOR_H_
