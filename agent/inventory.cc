#include "agent/inventory.h"

#include <algorithm>
#include <exception>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "estate/proto_utf8.h"

namespace estate::agent {
namespace {

// How many repaired fields a warning names before it only counts them.
constexpr size_t kNamedRepairs = 3;

// Makes what `collector` just added to `facts` valid UTF-8, so the report
// parses at the collector, and keeps the paths it repaired. Collectors only
// append to repeated top-level fields (software, users, warnings...), so only
// the elements past `sizes` (their sizes before this collector ran) are new;
// singular fields (hostname, system, network...) are small and checked whole.
void RepairNewText(v1::HostFacts* facts, std::vector<int>* sizes,
                   std::vector<std::string>* repaired) {
  const auto* type = facts->GetDescriptor();
  const auto* reflection = facts->GetReflection();
  auto note = [repaired](const std::string& path) { repaired->push_back(path); };
  for (int i = 0; i < type->field_count(); ++i) {
    const auto* field = type->field(i);
    if (field->is_repeated()) {
      const int size = reflection->FieldSize(*facts, field);
      RepairUtf8Field(facts, field, (*sizes)[i], size, note);
      (*sizes)[i] = size;
    } else {
      RepairUtf8Field(facts, field, 0, 1, note);
    }
  }
}

std::string RepairWarning(const std::vector<std::string>& paths) {
  std::string text = "replaced invalid UTF-8 with U+FFFD in " + std::to_string(paths.size()) +
                     (paths.size() == 1 ? " field: " : " fields: ");
  for (size_t i = 0; i < paths.size() && i < kNamedRepairs; ++i) {
    if (i > 0) text += ", ";
    text += paths[i];
  }
  if (paths.size() > kNamedRepairs) {
    text += " and " + std::to_string(paths.size() - kNamedRepairs) + " more";
  }
  return text;
}

}  // namespace

v1::HostFacts CollectInventory(const CollectContext& context,
                               const std::vector<std::unique_ptr<Collector>>& collectors) {
  v1::HostFacts facts;
  std::vector<int> sizes(static_cast<size_t>(facts.GetDescriptor()->field_count()), 0);
  // Per collector, in the order they ran: which of its fields had bad bytes.
  std::vector<std::pair<std::string_view, std::vector<std::string>>> repairs;
  for (const auto& collector : collectors) {
    try {
      collector->Collect(context, &facts);
    } catch (const std::exception& e) {
      AddWarning(&facts, collector->Name(), std::string_view(std::string("failed: ") + e.what()));
    }
    std::vector<std::string> repaired;
    RepairNewText(&facts, &sizes, &repaired);
    if (!repaired.empty()) repairs.emplace_back(collector->Name(), std::move(repaired));
  }
  // One warning per source that had bad bytes: the collector can store it and
  // an operator sees which file or device to look at.
  for (const auto& [name, paths] : repairs) AddWarning(&facts, name, RepairWarning(paths));
  // Canonical order (name, architecture, source): what keyed software deltas need.
  auto key = [](const v1::Package& p) {
    return std::tie(p.name(), p.architecture(), p.source(), p.version());
  };
  std::stable_sort(facts.mutable_software()->begin(), facts.mutable_software()->end(),
                   [&](const v1::Package& a, const v1::Package& b) { return key(a) < key(b); });
  return facts;
}

}  // namespace estate::agent
