#include "plugins/passive/station_table.h"

namespace estate::plugins {

StationEvent StationTable::Observe(uint32_t ip, const MacBytes& mac, int64_t now) {
  auto [it, inserted] = stations_.try_emplace(ip, Station{mac, {}, false, now, now});
  Station& s = it->second;
  StationEvent event;
  event.first_seen = s.first_seen;
  if (inserted) {
    event.change = StationChange::kNewStation;
    return event;
  }
  s.last_seen = now;
  if (s.mac == mac) return event;
  event.previous_mac = s.mac;
  event.change =
      s.has_previous && s.previous == mac ? StationChange::kFlipFlop : StationChange::kChangedMac;
  s.previous = s.mac;
  s.has_previous = true;
  s.mac = mac;
  return event;
}

const char* StationChangeFlag(StationChange change) {
  switch (change) {
    case StationChange::kNewStation:
      return "new_station";
    case StationChange::kChangedMac:
      return "changed_mac";
    case StationChange::kFlipFlop:
      return "flip_flop";
    case StationChange::kNone:
      break;
  }
  return "";
}

}  // namespace estate::plugins
