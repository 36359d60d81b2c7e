// InventorySource: what a subcommand needs to collect this host's facts —
// the HostRoot ("--root DIR", default "/"), the address source (live
// getifaddrs for "/", "--addresses FILE" for a captured tree) and the
// builtin collector list. Built once per process; not thread-safe.
#ifndef ESTATE_AGENT_COMMANDS_INVENTORY_SOURCE_H_
#define ESTATE_AGENT_COMMANDS_INVENTORY_SOURCE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/collectors/collector.h"
#include "agent/collectors/interface_address_source.h"
#include "estate/v1/facts.pb.h"

namespace estate::agent {

class InventorySource {
 public:
  // `addresses_file` empty: live addresses when `root` is "/", none otherwise.
  // `cache_dir`: where collectors keep what is costly to recompute (the
  // agent's state directory); empty: no cache.
  InventorySource(const std::string& root, const std::string& addresses_file,
                  const std::string& cache_dir = "");

  v1::HostFacts Collect() const;
  const HostRoot& root() const { return context_.root; }

 private:
  std::unique_ptr<InterfaceAddressSource> addresses_;
  CollectContext context_;
  std::vector<std::unique_ptr<Collector>> collectors_;
};

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COMMANDS_INVENTORY_SOURCE_H_
