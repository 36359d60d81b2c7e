// TruthAudit: compares what the collector answers (estatectl --json: assets,
// shadow --devices, shadow --software --hosts, drift) with a TruthFleet's
// truth. Each asset is traced to the real devices its MACs, serial or address
// belong to; from that come duplicates (a device with two records), joined
// records (one record, two devices), false and missed shadow devices, false
// drift and the planted port moves and foreign packages found or missed.
//
// A pure function of its inputs; thread-safe.
#ifndef ESTATE_TESTS_LOADGEN_TRUTH_AUDIT_H_
#define ESTATE_TESTS_LOADGEN_TRUTH_AUDIT_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/loadgen/truth_fleet.h"

namespace estate::loadgen {

struct AuditFigures {
  uint64_t real_devices = 0, agents = 0, unmanaged = 0, phones = 0, phone_macs = 0;
  uint64_t assets = 0, managed_assets = 0, discovered_assets = 0;
  uint64_t duplicates = 0;        // extra records of a device (phones' rotated MACs apart)
  uint64_t joined = 0;            // records holding two or more real devices
  uint64_t phantom = 0;           // records of no real device
  uint64_t agents_unmanaged = 0;  // agent devices whose record is not managed
  uint64_t phone_records = 0;     // records of phones: one per MAC is the rule
  uint64_t shadow_listed = 0, false_shadow = 0, missed_shadow = 0;
  uint64_t drift_items = 0, expected_drift = 0, false_drift = 0;
  uint64_t planted_moves = 0, moves_found = 0;
  uint64_t moves_before_agent = 0;  // planted moves the agent reported after: its first placement
  uint64_t planted_software = 0, software_found = 0, false_shadow_software = 0;
  std::vector<std::string> examples;  // a few of each kind of miss, for the reader

  bool TargetsMet() const {
    return duplicates == 0 && joined == 0 && phantom == 0 && agents_unmanaged == 0 &&
           false_shadow == 0 && missed_shadow == 0 && false_drift == 0 &&
           moves_found == planted_moves && software_found == planted_software &&
           false_shadow_software == 0;
  }
  nlohmann::json ToJson() const;
};

// `assets`: `estatectl --json assets`; `shadow_devices`: `shadow --devices`;
// `shadow_software`: `shadow --software --hosts`; `drift`: `drift`.
// `move_seen_managed[d]`: device d's agent had reported before the sweep that
// saw it on its new port (else the new port is its first managed placement:
// no drift expected). Empty: every planted move counts.
AuditFigures AuditFleet(const TruthFleet& fleet, const nlohmann::json& assets,
                        const nlohmann::json& shadow_devices, const nlohmann::json& shadow_software,
                        const nlohmann::json& drift,
                        const std::vector<bool>& move_seen_managed = {});

}  // namespace estate::loadgen

#endif  // ESTATE_TESTS_LOADGEN_TRUTH_AUDIT_H_
