#include "agent/inventory.h"

#include <exception>

namespace estate::agent {

v1::HostFacts CollectInventory(const CollectContext& context,
                               const std::vector<std::unique_ptr<Collector>>& collectors) {
  v1::HostFacts facts;
  for (const auto& collector : collectors) {
    try {
      collector->Collect(context, &facts);
    } catch (const std::exception& e) {
      AddWarning(&facts, collector->Name(), std::string_view(std::string("failed: ") + e.what()));
    }
  }
  return facts;
}

}  // namespace estate::agent
