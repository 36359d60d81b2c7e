// FrameAnalyzer: turns captured frames into host Observations. Decodes the
// link layer, then ARP, DHCP, mDNS, LLDP or CDP, feeds ARP sightings through a
// StationTable and emits an observation only when it tells something new
// (a new station, a changed MAC, a first DHCP fingerprint or name), so a
// long-running listener reports changes rather than traffic.
//
// Truncated and malformed frames are counted and skipped. Not thread-safe.
#ifndef ESTATE_PLUGINS_PASSIVE_FRAME_ANALYZER_H_
#define ESTATE_PLUGINS_PASSIVE_FRAME_ANALYZER_H_

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "estate/oui_registry.h"
#include "estate/v1/observations.pb.h"
#include "plugins/passive/byte_reader.h"
#include "plugins/passive/station_table.h"

namespace estate::plugins {

struct AnalyzerStats {
  uint64_t frames = 0;
  uint64_t arp = 0;
  uint64_t dhcp = 0;
  uint64_t mdns = 0;
  uint64_t lldp = 0;
  uint64_t cdp = 0;
  uint64_t other = 0;        // traffic none of the decoders is about
  uint64_t truncated = 0;    // ended before a field its header promised
  uint64_t malformed = 0;    // impossible field values
  uint64_t unsupported = 0;  // e.g. ARP for another hardware type
  uint64_t observations = 0;
  uint64_t forgotten = 0;  // times the remembered-facts set hit its bound and was emptied
};

class FrameAnalyzer {
 public:
  // Bound on the DHCP/mDNS/LLDP/CDP facts remembered as already reported, so a
  // listener that runs for months (or is fed random MACs) stays in bounded memory.
  static constexpr size_t kDefaultMaxRemembered = 65536;

  // `oui` may be null (no vendor names); it must outlive the analyzer. When
  // `max_remembered` facts are remembered the set is emptied: later sightings
  // are reported again, which the collector merges idempotently.
  FrameAnalyzer(const OuiRegistry* oui, std::string interface,
                size_t max_remembered = kDefaultMaxRemembered);

  // Decodes one frame captured at `timestamp` (epoch seconds) and appends any
  // new observations to `out`. Never throws and never fails: bad bytes only count.
  void Analyze(int link_type, int64_t timestamp, Bytes frame, std::vector<v1::Observation>* out);

  const AnalyzerStats& stats() const { return stats_; }
  const StationTable& stations() const { return stations_; }

 private:
  void AnalyzeFrame(int link_type, int64_t timestamp, Bytes frame,
                    std::vector<v1::Observation>* out);
  v1::Observation Base(v1::ObservationSource source, int64_t timestamp, const MacBytes& mac) const;
  // True the first time `key` is seen.
  bool First(std::string key);
  void Count(const Status& status);

  const OuiRegistry* oui_;
  std::string interface_;
  StationTable stations_;
  size_t max_remembered_;
  std::unordered_set<std::string> reported_;
  AnalyzerStats stats_;
};

}  // namespace estate::plugins

#endif  // ESTATE_PLUGINS_PASSIVE_FRAME_ANALYZER_H_
