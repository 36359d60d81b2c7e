#include "agent/inventory.h"

#include <algorithm>
#include <exception>
#include <tuple>

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
  // Canonical order (name, architecture, source): what keyed software deltas need.
  auto key = [](const v1::Package& p) {
    return std::tie(p.name(), p.architecture(), p.source(), p.version());
  };
  std::stable_sort(facts.mutable_software()->begin(), facts.mutable_software()->end(),
                   [&](const v1::Package& a, const v1::Package& b) { return key(a) < key(b); });
  return facts;
}

}  // namespace estate::agent
