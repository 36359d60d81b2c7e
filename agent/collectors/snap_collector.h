// SnapCollector: installed snaps from their mounted metadata,
// /snap/<name>/current/meta/snap.yaml (name, version, architectures).
#ifndef ESTATE_AGENT_COLLECTORS_SNAP_COLLECTOR_H_
#define ESTATE_AGENT_COLLECTORS_SNAP_COLLECTOR_H_

#include <memory>
#include <string>
#include <string_view>

#include "agent/collectors/collector.h"

namespace estate::agent {

std::unique_ptr<Collector> MakeSnapCollector();

// Top-level "key: value" of snap.yaml (quotes removed); empty when absent.
std::string SnapYamlValue(std::string_view yaml, std::string_view key);

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COLLECTORS_SNAP_COLLECTOR_H_
