#include "agent/collectors/memory_collector.h"

#include "estate/text.h"

namespace estate::agent {
namespace {

class MemoryCollector : public Collector {
 public:
  std::string_view Name() const override { return "memory"; }

  void Collect(const CollectContext& context, v1::HostFacts* facts) const override {
    auto text = context.root.ReadFile("/proc/meminfo", 1 << 20);
    if (!text.ok()) {
      AddWarning(facts, Name(), text.status());
      return;
    }
    auto memory = ParseMeminfo(*text);
    if (!memory.ok()) {
      AddWarning(facts, Name(), memory.status());
      return;
    }
    *facts->mutable_memory() = *memory;
  }
};

}  // namespace

Result<v1::MemoryFacts> ParseMeminfo(std::string_view meminfo) {
  v1::MemoryFacts memory;
  bool has_total = false;
  for (std::string_view line : Split(meminfo, '\n')) {
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view key = line.substr(0, colon);
    std::string_view value = Trim(line.substr(colon + 1));
    uint64_t multiplier = 1;
    if (value.size() > 3 && value.substr(value.size() - 3) == " kB") {
      value.remove_suffix(3);
      multiplier = 1024;
    }
    auto number = ParseUint(value);
    if (!number) continue;
    const uint64_t bytes = *number * multiplier;
    if (key == "MemTotal") {
      memory.set_total_bytes(bytes);
      has_total = true;
    } else if (key == "MemAvailable") {
      memory.set_available_bytes(bytes);
    } else if (key == "SwapTotal") {
      memory.set_swap_total_bytes(bytes);
    } else if (key == "SwapFree") {
      memory.set_swap_free_bytes(bytes);
    }
  }
  if (!has_total) return Status::Corruption("/proc/meminfo has no MemTotal line");
  return memory;
}

std::unique_ptr<Collector> MakeMemoryCollector() { return std::make_unique<MemoryCollector>(); }

}  // namespace estate::agent
