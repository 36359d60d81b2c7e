// ReportEncoder: a simulated agent's full report in wire form, assembled from
// precomputed bytes instead of ~1,500 v1::Package messages built, serialized
// and destroyed per report (which cost the loadgen ~1.5 ms of CPU per 190 KB
// report and stole the collector's cores in benchmarks).
//
// Protobuf's wire format is a concatenation of fields in field-number order,
// so a Package is [name, version, architecture, source] (cached per pool
// package and upgrade level) + install_time (a varint per agent) + [publisher,
// size, source package] (cached per pool package), and the HostFacts around
// the software list is serialized once per report from the fleet's own
// messages. The bytes are exactly those of SimulatedFleet::BuildFacts
// serialized (report_encoder_test.cc checks it over many agents and revisions).
//
// Owns its caches and scratch buffers: not thread-safe, one per thread. The
// fleet must outlive it.
#ifndef ESTATE_TESTS_LOADGEN_REPORT_ENCODER_H_
#define ESTATE_TESTS_LOADGEN_REPORT_ENCODER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "estate/v1/frame.pb.h"
#include "tests/loadgen/simulated_fleet.h"

namespace estate::loadgen {

class ReportEncoder {
 public:
  explicit ReportEncoder(const SimulatedFleet& fleet);
  ReportEncoder(const ReportEncoder&) = delete;
  ReportEncoder& operator=(const ReportEncoder&) = delete;

  // Appends the serialized HostFacts of `agent` in `state`.
  void AppendFacts(uint32_t agent, const AgentState& state, std::string* out);
  // Appends one frame as it goes on the wire (4-byte length + Frame) holding
  // a FullReport{sequence, collected_at, facts}.
  void AppendFullReportFrame(uint64_t request_id, uint32_t channel, uint64_t sequence,
                             int64_t collected_at, uint32_t agent, const AgentState& state,
                             std::string* out);

 private:
  const std::string& PackageHead(uint32_t pool_index, uint32_t upgrades);

  const SimulatedFleet& fleet_;
  std::vector<std::vector<std::string>> heads_;  // [pool index][upgrades]: fields 1-4
  std::vector<std::string> tails_;               // [pool index]: fields 6-8
  v1::HostFacts base_, tail_;                    // scratch: fields before / after software
  std::string facts_;                            // scratch: the facts of one report
};

// Appends `frame` as it goes on the wire (EncodeFrame without a temporary).
void AppendFrame(const v1::Frame& frame, std::string* out);

}  // namespace estate::loadgen

#endif  // ESTATE_TESTS_LOADGEN_REPORT_ENCODER_H_
