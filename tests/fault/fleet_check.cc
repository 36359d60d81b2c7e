#include "tests/fault/fleet_check.h"

#include <map>

#include "estate/proto_json.h"

namespace estate::fault {

StoredNode ReadStoredNode(const CollectorProcess& collector, const FaultAgent& agent) {
  StoredNode out;
  nlohmann::json asset = collector.CtlJson({"show", agent.hostname(), "--software"});
  if (asset.is_discarded() || !asset.is_object()) return out;
  out.found = true;
  out.asset_id = asset.value("id", "");
  const std::string node = agent.node_id();
  for (const auto& source : asset.value("sources", nlohmann::json::array())) {
    if (source.value("node_id", "") == node)
      out.last_sequence = source.value("last_sequence", 0ull);
  }
  if (asset.contains("facts") && asset["facts"].contains(node)) out.facts = asset["facts"][node];
  return out;
}

::testing::AssertionResult HoldsEveryAcknowledgedReport(const CollectorProcess& collector,
                                                        const Fleet& fleet, size_t* acked_total) {
  size_t total = 0;
  for (const auto& agent : fleet) {
    const FaultAgent::Acks acks = agent->ParseAcks();
    total += acks.sequences.size();
    if (acks.sequences.empty()) continue;
    if (acks.asset_ids.size() != 1) {
      return ::testing::AssertionFailure()
             << agent->hostname() << ": acks named " << acks.asset_ids.size() << " assets";
    }
    const StoredNode stored = ReadStoredNode(collector, *agent);
    if (!stored.found) {
      return ::testing::AssertionFailure()
             << agent->hostname() << ": acknowledged " << acks.max() << " but no asset is stored";
    }
    if (stored.asset_id != *acks.asset_ids.begin()) {
      return ::testing::AssertionFailure()
             << agent->hostname() << ": acks named " << *acks.asset_ids.begin() << ", store has "
             << stored.asset_id;
    }
    if (stored.last_sequence < acks.max()) {
      return ::testing::AssertionFailure()
             << agent->hostname() << ": sequence " << acks.max()
             << " was acknowledged but the store holds " << stored.last_sequence;
    }
  }
  if (acked_total != nullptr) *acked_total = total;
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult AgreesWithEveryAgent(const CollectorProcess& collector,
                                                const Fleet& fleet, bool rolled_back) {
  ::testing::AssertionResult held = HoldsEveryAcknowledgedReport(collector, fleet);
  if (!held) return held;
  std::map<std::string, int> assets_per_host;
  nlohmann::json listed = collector.CtlJson({"assets"});
  if (listed.is_discarded()) return ::testing::AssertionFailure() << "estatectl assets failed";
  const nlohmann::json assets = listed.value("assets", nlohmann::json::array());
  for (const auto& asset : assets) assets_per_host[asset.value("hostname", "")]++;
  if (assets.size() != fleet.size()) {
    return ::testing::AssertionFailure()
           << assets.size() << " assets stored for " << fleet.size() << " agents";
  }
  for (const auto& agent : fleet) {
    const std::string& host = agent->hostname();
    if (!agent->SpoolEmpty()) return ::testing::AssertionFailure() << host << ": spool not empty";
    if (assets_per_host[host] != 1) {
      return ::testing::AssertionFailure()
             << host << ": " << assets_per_host[host] << " assets, expected exactly one";
    }
    auto lost = agent->LogLines("it lost acknowledged reports");
    if (!lost.empty() && !rolled_back)
      return ::testing::AssertionFailure() << host << ": " << lost.front();
    const auto reported = agent->Reported();
    if (!reported) return ::testing::AssertionFailure() << host << ": no reported.pb";
    const uint64_t acked = agent->ParseAcks().max();
    const StoredNode stored = ReadStoredNode(collector, *agent);
    if (reported->sequence() != acked || agent->AckedInState() != acked ||
        stored.last_sequence != acked) {
      return ::testing::AssertionFailure()
             << host << ": last queued " << reported->sequence() << ", acked (log) " << acked
             << ", acked (state) " << agent->AckedInState() << ", stored " << stored.last_sequence;
    }
    const nlohmann::json expected = ProtoToJson(reported->facts());
    if (stored.facts != expected) {
      return ::testing::AssertionFailure()
             << host << ": stored facts differ from the agent's last report:\n"
             << nlohmann::json::diff(expected, stored.facts).dump(1);
    }
  }
  return ::testing::AssertionSuccess();
}

bool WaitUntilDrained(const Fleet& fleet, std::chrono::milliseconds timeout) {
  return testing::WaitFor(
      [&] {
        for (const auto& agent : fleet) {
          if (!agent->SpoolEmpty()) return false;
          const auto reported = agent->Reported();
          if (!reported || agent->AckedInState() != reported->sequence()) return false;
        }
        return true;
      },
      timeout);
}

}  // namespace estate::fault
