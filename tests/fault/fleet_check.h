// What the fault tests assert about a collector and the FaultAgents reporting
// to it: the ground truth is each agent's log of acknowledged sequences and
// its state directory; the store is read through `estatectl --json`.
#ifndef ESTATE_TESTS_FAULT_FLEET_CHECK_H_
#define ESTATE_TESTS_FAULT_FLEET_CHECK_H_

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/fault/collector_process.h"
#include "tests/fault/fault_agent.h"

namespace estate::fault {

using Fleet = std::vector<std::unique_ptr<FaultAgent>>;

// One agent's record in the store, found by its host name.
struct StoredNode {
  bool found = false;
  std::string asset_id;
  uint64_t last_sequence = 0;  // of this agent's node id, from the asset's sources
  nlohmann::json facts;        // this node's stored facts
};
StoredNode ReadStoredNode(const CollectorProcess& collector, const FaultAgent& agent);

// Every sequence an agent logged as acknowledged is held: the node's stored
// sequence is at least the highest one, and every ack named the same asset.
// `acked_total`, when given, receives the number of acknowledged reports.
::testing::AssertionResult HoldsEveryAcknowledgedReport(const CollectorProcess& collector,
                                                        const Fleet& fleet,
                                                        size_t* acked_total = nullptr);

// After the fleet drained: each spool is empty, the collector holds exactly
// the agent's last acknowledged report with the agent's own facts (so every
// delta applied on the right base), no agent ever saw the collector hold less
// than it had acknowledged (unless the collector was `rolled_back` to a
// backup on purpose), and each agent is exactly one asset (and the store
// holds nothing else).
::testing::AssertionResult AgreesWithEveryAgent(const CollectorProcess& collector,
                                                const Fleet& fleet, bool rolled_back = false);

// Waits until every spool is empty and every agent's last queued report is
// acknowledged; false when `timeout` passes first.
bool WaitUntilDrained(const Fleet& fleet, std::chrono::milliseconds timeout);

}  // namespace estate::fault

#endif  // ESTATE_TESTS_FAULT_FLEET_CHECK_H_
