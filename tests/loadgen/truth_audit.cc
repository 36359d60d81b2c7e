#include "tests/loadgen/truth_audit.h"

#include <map>
#include <set>
#include <unordered_map>

namespace estate::loadgen {
namespace {

std::string Text(const nlohmann::json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || !j.at(key).is_string()) return "";
  return j.at(key).get<std::string>();
}

const nlohmann::json& List(const nlohmann::json& j, const char* key) {
  static const nlohmann::json kEmpty = nlohmann::json::array();
  if (!j.is_object() || !j.contains(key) || !j.at(key).is_array()) return kEmpty;
  return j.at(key);
}

constexpr size_t kExamples = 5;

}  // namespace

nlohmann::json AuditFigures::ToJson() const {
  return {{"real_devices", real_devices},
          {"agents", agents},
          {"unmanaged_devices", unmanaged},
          {"phones", phones},
          {"phone_macs", phone_macs},
          {"assets", assets},
          {"managed_assets", managed_assets},
          {"discovered_assets", discovered_assets},
          {"duplicates", duplicates},
          {"joined", joined},
          {"phantom", phantom},
          {"agents_unmanaged", agents_unmanaged},
          {"phone_records", phone_records},
          {"shadow_listed", shadow_listed},
          {"false_shadow", false_shadow},
          {"missed_shadow", missed_shadow},
          {"drift_items", drift_items},
          {"expected_drift", expected_drift},
          {"false_drift", false_drift},
          {"planted_moves", planted_moves},
          {"moves_found", moves_found},
          {"moves_before_agent", moves_before_agent},
          {"planted_software", planted_software},
          {"software_found", software_found},
          {"false_shadow_software", false_shadow_software},
          {"targets_met", TargetsMet()}};
}

AuditFigures AuditFleet(const TruthFleet& fleet, const nlohmann::json& assets,
                        const nlohmann::json& shadow_devices, const nlohmann::json& shadow_software,
                        const nlohmann::json& drift, const std::vector<bool>& move_seen_managed) {
  AuditFigures f;
  const auto& devices = fleet.devices();
  auto move_counts = [&](uint32_t d) {
    return devices[d].move_round != 0 && (move_seen_managed.empty() || move_seen_managed[d]);
  };
  auto example = [&](const std::string& text) {
    if (f.examples.size() < kExamples * 6) f.examples.push_back(text);
  };

  // What identifies each real device.
  std::unordered_map<std::string, uint32_t> by_mac, by_serial, by_ip;
  for (uint32_t d = 0; d < devices.size(); ++d) {
    const TruthDevice& dev = devices[d];
    f.real_devices++;
    if (dev.agent()) {
      f.agents++;
    } else {
      f.unmanaged++;
    }
    if (dev.kind == TruthKind::kPhone) f.phones++;
    for (const std::string& mac : fleet.AllMacs(d)) {
      by_mac[mac] = d;
      if (dev.kind == TruthKind::kPhone) f.phone_macs++;
    }
    if (!dev.serial.empty()) by_serial[dev.serial] = d;
    if (dev.kind != TruthKind::kPhone) by_ip[dev.ip] = d;
  }

  // Trace every live record to the devices it holds.
  std::map<std::string, std::set<uint32_t>> holds;  // asset id -> devices
  std::map<std::string, bool> managed;
  std::vector<std::vector<std::string>> records(devices.size());
  for (const auto& a : List(assets, "assets")) {
    if (!Text(a, "merged_into").empty()) continue;  // a pointer to the survivor
    const std::string id = Text(a, "id");
    f.assets++;
    const bool is_managed = a.value("managed", false);
    managed[id] = is_managed;
    (is_managed ? f.managed_assets : f.discovered_assets)++;
    std::set<uint32_t>& held = holds[id];
    for (const auto& mac : List(a, "macs")) {
      auto it = by_mac.find(mac.get<std::string>());
      if (it != by_mac.end()) held.insert(it->second);
    }
    if (auto it = by_serial.find(Text(a, "serial")); it != by_serial.end()) {
      held.insert(it->second);
    }
    if (held.empty()) {
      for (const auto& ip : List(a, "ips")) {
        auto it = by_ip.find(ip.get<std::string>());
        if (it != by_ip.end()) held.insert(it->second);
      }
    }
    if (held.empty()) {
      f.phantom++;
      example("phantom record " + id + ": " + a.dump().substr(0, 300));
    } else if (held.size() > 1) {
      f.joined++;
      std::string names;
      for (uint32_t d : held) names += " " + devices[d].hostname;
      example("record " + id + " joins" + names);
    }
    for (uint32_t d : held) records[d].push_back(id);
  }
  for (uint32_t d = 0; d < devices.size(); ++d) {
    const TruthDevice& dev = devices[d];
    if (dev.kind == TruthKind::kPhone) {
      f.phone_records += records[d].size();
      continue;
    }
    if (records[d].size() > 1) {
      f.duplicates += records[d].size() - 1;
      std::string ids;
      for (const auto& id : records[d]) ids += " " + id;
      example(std::string(TruthKindName(dev.kind)) + " " + dev.hostname + " has records" + ids);
    }
    if (dev.agent()) {
      const bool ok = std::any_of(records[d].begin(), records[d].end(),
                                  [&](const std::string& id) { return managed[id]; });
      if (!ok) {
        f.agents_unmanaged++;
        example("agent " + dev.hostname + " has no managed record");
      }
    }
  }

  // Shadow devices: exactly the records of devices no agent runs on.
  std::set<uint32_t> shadowed;
  for (const auto& s : List(shadow_devices, "devices")) {
    const std::string id = Text(s, "asset_id");
    f.shadow_listed++;
    auto it = holds.find(id);
    bool is_false = it == holds.end() || it->second.empty();
    if (!is_false) {
      for (uint32_t d : it->second) {
        if (devices[d].agent()) is_false = true;
        shadowed.insert(d);
      }
    }
    if (is_false) {
      f.false_shadow++;
      example("false shadow device " + id + " " + Text(s, "mac") + " " + Text(s, "ip"));
    }
  }
  for (uint32_t d = 0; d < devices.size(); ++d) {
    if (!devices[d].agent() && !shadowed.count(d)) {
      f.missed_shadow++;
      example(std::string("missed shadow ") + TruthKindName(devices[d].kind) + " " +
              devices[d].hostname);
    }
  }

  // Drift: a port move planted on the device, or a package it installed later.
  std::set<uint32_t> moved_found;
  for (const auto& item : List(drift, "drift")) {
    f.drift_items++;
    const std::string id = Text(item, "asset_id");
    const std::string fact = Text(item, "fact");
    bool expected = false;
    auto it = holds.find(id);
    if (it != holds.end() && it->second.size() == 1) {
      const uint32_t d = *it->second.begin();
      const TruthDevice& dev = devices[d];
      // A port drift of a moved host is true whatever the order; it is
      // required only when the agent reported before the move was seen.
      if (fact == "network.port" && dev.move_round != 0) {
        expected = true;
        if (move_counts(d)) moved_found.insert(d);
      }
      for (const PlantedPackage& p : dev.foreign) {
        if (p.in_delta && fact == "software." + p.name) expected = true;
      }
    }
    if (expected) {
      f.expected_drift++;
    } else {
      f.false_drift++;
      example("false drift " + id + " " + fact + ": " + Text(item, "before") + " -> " +
              Text(item, "after"));
    }
  }
  for (uint32_t d = 0; d < devices.size(); ++d) {
    if (devices[d].move_round == 0) continue;
    if (!move_counts(d)) {
      f.moves_before_agent++;
      continue;
    }
    f.planted_moves++;
    if (moved_found.count(d)) {
      f.moves_found++;
    } else {
      example("missed port move of " + devices[d].hostname);
    }
  }

  // Shadow software: each planted (host, package) listed with that host, nothing else.
  std::map<std::string, std::set<std::string>> listed;  // package -> asset ids
  for (const auto& s : List(shadow_software, "software")) {
    if (Text(s, "kind") != "package") continue;
    auto& hosts = listed[Text(s, "name")];
    for (const auto& id : List(s, "assets")) hosts.insert(id.get<std::string>());
    if (List(s, "assets").empty()) hosts.insert("(no host listed)");
  }
  std::map<std::string, std::set<std::string>> planted;
  for (uint32_t d = 0; d < devices.size(); ++d) {
    for (const PlantedPackage& p : devices[d].foreign) {
      f.planted_software++;
      bool found = false;
      for (const auto& id : records[d]) {
        planted[p.name].insert(id);
        if (listed[p.name].count(id)) found = true;
      }
      if (found) {
        f.software_found++;
      } else {
        example("missed shadow software " + p.name + " on " + devices[d].hostname);
      }
    }
  }
  for (const auto& [name, hosts] : listed) {
    for (const auto& id : hosts) {
      if (planted[name].count(id)) continue;
      f.false_shadow_software++;
      example("false shadow software " + name + " on " + id);
    }
  }
  return f;
}

}  // namespace estate::loadgen
