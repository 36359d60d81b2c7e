#include "collector/reconcile/drift.h"

#include "collector/reconcile/asset_summary.h"
#include "collector/reconcile/software_policy.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

std::string Gib(uint64_t bytes) {
  // Whole MiB: the kernel's MemTotal moves by a few KiB between boots.
  return std::to_string(bytes >> 20) + " MiB";
}

std::string_view GroupOf(std::string_view fact) { return fact.substr(0, fact.find('.')); }

std::string_view KindOf(std::string_view fact) {
  size_t first = fact.find('.');
  if (first == std::string_view::npos) return {};
  std::string_view rest = fact.substr(first + 1);
  return rest.substr(0, rest.find('.'));
}

std::string Severity(std::string_view fact, const std::string& before, const std::string& after,
                     bool added, bool removed, const PackageVerdictFn& verdict) {
  const std::string_view group = GroupOf(fact);
  const std::string_view kind = KindOf(fact);
  if (group == drift_group::kHardware) {
    if (added) return "medium";
    return "high";  // removed or replaced: a DIMM, a disk, a NIC, a serial
  }
  if (group == drift_group::kOs) return kind == "kernel" ? "low" : "medium";
  if (group == drift_group::kSoftware) {
    if (removed) return "low";
    std::string_view name = fact.substr(fact.find('.') + 1);
    name = name.substr(0, name.find(':'));
    const std::string_view v = verdict ? verdict(name, after) : verdict::kUnknown;
    if (v == verdict::kProhibited) return "critical";
    if (added) return v == verdict::kApproved ? "low" : "medium";
    (void)before;
    return "low";  // an upgrade or downgrade of an allowed package
  }
  if (group == drift_group::kNetwork) return kind == "port" ? "medium" : "low";
  return "low";
}

std::string Describe(std::string_view fact, const std::string& before, const std::string& after,
                     bool added, bool removed) {
  const std::string f(fact);
  if (added) return f + " added" + (after.empty() ? "" : ": " + after);
  if (removed) return f + " removed" + (before.empty() ? "" : " (was " + before + ")");
  return f + " changed: " + before + " -> " + after;
}

}  // namespace

const GroupSet& AllDriftGroups() {
  static const GroupSet groups = {
      std::string(drift_group::kHardware), std::string(drift_group::kOs),
      std::string(drift_group::kSoftware), std::string(drift_group::kNetwork)};
  return groups;
}

TrackedFacts CollectTrackedFacts(const v1::Asset& asset, const v1::HostFacts* facts,
                                 const GroupSet& groups) {
  TrackedFacts out;
  if (facts && groups.count(drift_group::kHardware)) {
    if (!asset.serial().empty()) out["hardware.serial"] = asset.serial();
    if (!facts->cpu().model().empty()) {
      out["hardware.cpu"] = facts->cpu().model() + " x" + std::to_string(facts->cpu().logical());
    }
    if (facts->memory().total_bytes() > 0)
      out["hardware.memory"] = Gib(facts->memory().total_bytes());
    for (const auto& dimm : facts->dmi().memory_modules()) {
      if (dimm.size_bytes() == 0) continue;  // empty slot
      std::string value = Gib(dimm.size_bytes());
      if (!dimm.part_number().empty()) value += " " + std::string(Trim(dimm.part_number()));
      if (!dimm.serial().empty()) value += " S/N " + dimm.serial();
      const std::string slot = dimm.locator().empty() ? dimm.bank_locator() : dimm.locator();
      out["hardware.dimm." + slot] = value;
    }
    for (const auto& disk : facts->storage().disks()) {
      if (disk.removable() || disk.kind() == "loop" || disk.kind() == "optical") continue;
      const std::string key = disk.serial().empty() ? disk.name() : disk.serial();
      out["hardware.disk." + key] =
          disk.model() + " " + std::to_string(disk.size_bytes() >> 30) + " GiB";
    }
    for (const auto& mac : HardwareMacs(*facts)) {
      std::string name;
      for (const auto& nic : facts->network().interfaces()) {
        if (nic.permanent_mac() == mac || nic.mac() == mac) name = nic.name();
      }
      out["hardware.nic." + mac] = name;
    }
  }
  if (facts && groups.count(drift_group::kOs)) {
    if (!asset.os().empty()) out["os.name"] = asset.os();
    if (!asset.kernel().empty()) out["os.kernel"] = asset.kernel();
  }
  if (facts && groups.count(drift_group::kSoftware)) {
    for (const auto& p : facts->software()) {
      std::string key = "software." + p.name();
      // Multi-arch installs (libc6 amd64 and i386) are two packages.
      if (out.count(key)) key += ":" + p.architecture();
      out[key] = p.version();
    }
  }
  if (groups.count(drift_group::kNetwork)) {
    for (const auto& ip : asset.ips()) out["network.ip." + ip] = "";
    if (!asset.location().switch_name().empty()) {
      out["network.port"] = asset.location().switch_name() + " " + asset.location().port();
      out["network.vlan"] = std::to_string(asset.location().vlan());
    }
  }
  return out;
}

std::vector<v1::DriftItem> CompareToBaseline(const v1::Baseline& baseline,
                                             const TrackedFacts& current, const GroupSet& groups,
                                             const PackageVerdictFn& verdict) {
  std::vector<v1::DriftItem> items;
  auto emit = [&](const std::string& fact, const std::string& before, const std::string& after,
                  bool added, bool removed) {
    v1::DriftItem item;
    item.set_fact(fact);
    item.set_group(std::string(GroupOf(fact)));
    item.set_before(before);
    item.set_after(after);
    item.set_severity(Severity(fact, before, after, added, removed, verdict));
    item.set_summary(Describe(fact, before, after, added, removed));
    items.push_back(std::move(item));
  };
  // Both sides are sorted: one merge pass.
  std::map<std::string, std::string> approved(baseline.facts().begin(), baseline.facts().end());
  auto a = approved.begin();
  auto c = current.begin();
  while (a != approved.end() || c != current.end()) {
    if (a != approved.end() && !groups.count(GroupOf(a->first))) {
      ++a;
      continue;
    }
    if (c != current.end() && !groups.count(GroupOf(c->first))) {
      ++c;
      continue;
    }
    if (c == current.end() || (a != approved.end() && a->first < c->first)) {
      emit(a->first, a->second, "", false, true);
      ++a;
    } else if (a == approved.end() || c->first < a->first) {
      emit(c->first, "", c->second, true, false);
      ++c;
    } else {
      if (a->second != c->second) emit(a->first, a->second, c->second, false, false);
      ++a;
      ++c;
    }
  }
  return items;
}

int SeverityRank(std::string_view severity) {
  if (severity == "critical") return 4;
  if (severity == "high") return 3;
  if (severity == "medium") return 2;
  if (severity == "low") return 1;
  return 0;
}

}  // namespace estate::collector
