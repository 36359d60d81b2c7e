// StationTable: arpwatch's memory of which MAC each IPv4 address was last
// seen at, turning a stream of sightings into its signals: a new station, a
// changed MAC for a known IP, and a flip-flop back to the MAC before.
//
// One entry per IP ever seen (tens of bytes each). Not thread-safe.
#ifndef ESTATE_PLUGINS_PASSIVE_STATION_TABLE_H_
#define ESTATE_PLUGINS_PASSIVE_STATION_TABLE_H_

#include <cstdint>
#include <unordered_map>

#include "plugins/passive/link_layer.h"

namespace estate::plugins {

enum class StationChange { kNone, kNewStation, kChangedMac, kFlipFlop };

struct StationEvent {
  StationChange change = StationChange::kNone;
  MacBytes previous_mac{};  // for kChangedMac / kFlipFlop
  int64_t first_seen = 0;   // when the IP was first seen
};

class StationTable {
 public:
  // Records that `ip` answered from `mac` at `now` (epoch seconds).
  StationEvent Observe(uint32_t ip, const MacBytes& mac, int64_t now);
  size_t size() const { return stations_.size(); }

 private:
  struct Station {
    MacBytes mac;
    MacBytes previous{};
    bool has_previous = false;
    int64_t first_seen;
    int64_t last_seen;
  };
  std::unordered_map<uint32_t, Station> stations_;
};

// The flag name an Observation carries for a change ("" for kNone).
const char* StationChangeFlag(StationChange change);

}  // namespace estate::plugins

#endif  // ESTATE_PLUGINS_PASSIVE_STATION_TABLE_H_
