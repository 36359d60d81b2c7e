#include "agent/commands/inventory_source.h"

#include "agent/collectors/builtin_collectors.h"
#include "agent/inventory.h"

namespace estate::agent {

InventorySource::InventorySource(const std::string& root, const std::string& addresses_file,
                                 const std::string& cache_dir)
    : context_{HostRoot(root.empty() ? "/" : root), nullptr, false, cache_dir},
      collectors_(BuiltinCollectors()) {
  context_.live = context_.root.IsLiveSystem();
  if (!addresses_file.empty()) {
    addresses_ = MakeFileAddressSource(addresses_file);
  } else if (context_.live) {
    addresses_ = MakeLiveAddressSource();
  }
  context_.addresses = addresses_.get();
}

v1::HostFacts InventorySource::Collect() const { return CollectInventory(context_, collectors_); }

}  // namespace estate::agent
