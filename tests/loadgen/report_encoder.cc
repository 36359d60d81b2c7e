#include "tests/loadgen/report_encoder.h"

#include "estate/framing.h"

namespace estate::loadgen {
namespace {

// Wire types of the protobuf encoding.
constexpr uint32_t kVarint = 0;
constexpr uint32_t kLengthDelimited = 2;

size_t VarintSize(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

void AppendVarint(uint64_t v, std::string* out) {
  char buf[10];
  size_t n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  out->append(buf, n);
}

// Field tags below 16 are one byte.
char Tag(uint32_t field, uint32_t wire_type) { return static_cast<char>(field << 3 | wire_type); }

// A proto3 scalar field: absent when zero, as protobuf serializes it.
size_t VarintFieldSize(uint64_t v) { return v ? 1 + VarintSize(v) : 0; }
void AppendVarintField(uint32_t field, uint64_t v, std::string* out) {
  if (v == 0) return;
  out->push_back(Tag(field, kVarint));
  AppendVarint(v, out);
}

void AppendFrameHeader(size_t payload, std::string* out) {
  const char header[kFrameHeaderBytes] = {
      static_cast<char>(payload >> 24), static_cast<char>(payload >> 16),
      static_cast<char>(payload >> 8), static_cast<char>(payload)};
  out->append(header, sizeof header);
}

}  // namespace

ReportEncoder::ReportEncoder(const SimulatedFleet& fleet) : fleet_(fleet) {
  const auto& pool = fleet_.pool();
  heads_.resize(pool.size());
  tails_.resize(pool.size());
  for (uint32_t i = 0; i < pool.size(); ++i) {
    v1::Package tail;
    tail.set_publisher(pool[i].maintainer);
    tail.set_size_bytes(pool[i].installed_bytes);
    tail.set_source_package(pool[i].source_package);
    tails_[i] = tail.SerializeAsString();
    PackageHead(i, 0);
  }
}

const std::string& ReportEncoder::PackageHead(uint32_t pool_index, uint32_t upgrades) {
  auto& levels = heads_[pool_index];
  while (levels.size() <= upgrades) {
    const PoolPackage& p = fleet_.pool()[pool_index];
    v1::Package head;
    head.set_name(p.name);
    head.set_version(fleet_.PackageVersion(pool_index, static_cast<uint32_t>(levels.size())));
    head.set_architecture(p.architecture);
    head.set_source("deb");
    levels.push_back(head.SerializeAsString());
  }
  return levels[upgrades];
}

void ReportEncoder::AppendFacts(uint32_t agent, const AgentState& state, std::string* out) {
  fleet_.BuildFactsExceptSoftware(agent, state.revision, &base_);
  // HostFacts fields after software (12) go after its bytes. A field added to
  // HostFacts above 12 must be moved here too (the encoder test would fail).
  tail_.Clear();
  tail_.mutable_users()->Swap(base_.mutable_users());
  tail_.mutable_groups()->Swap(base_.mutable_groups());
  tail_.mutable_sessions()->Swap(base_.mutable_sessions());
  tail_.mutable_services()->Swap(base_.mutable_services());
  tail_.mutable_listening()->Swap(base_.mutable_listening());
  tail_.mutable_pci_devices()->Swap(base_.mutable_pci_devices());
  tail_.mutable_usb_devices()->Swap(base_.mutable_usb_devices());
  tail_.mutable_warnings()->Swap(base_.mutable_warnings());
  base_.AppendToString(out);

  const InstallHistory history = fleet_.History(agent);
  fleet_.ForEachInstalledPackage(agent, state, [&](uint32_t i, const PackageOverride* o) {
    const std::string& head = PackageHead(i, o ? o->upgrades : 0);
    const std::string& tail = tails_[i];
    const auto install_time = static_cast<uint64_t>(fleet_.PackageInstallTime(history, i, o));
    out->push_back(Tag(v1::HostFacts::kSoftwareFieldNumber, kLengthDelimited));
    AppendVarint(head.size() + VarintFieldSize(install_time) + tail.size(), out);
    out->append(head);
    AppendVarintField(v1::Package::kInstallTimeFieldNumber, install_time, out);
    out->append(tail);
  });
  tail_.AppendToString(out);
}

void ReportEncoder::AppendFullReportFrame(uint64_t request_id, uint32_t channel, uint64_t sequence,
                                          int64_t collected_at, uint32_t agent,
                                          const AgentState& state, std::string* out) {
  facts_.clear();
  AppendFacts(agent, state, &facts_);
  const auto collected = static_cast<uint64_t>(collected_at);
  const size_t report = VarintFieldSize(sequence) + VarintFieldSize(collected) + 1 +
                        VarintSize(facts_.size()) + facts_.size();
  const size_t payload =
      VarintFieldSize(request_id) + VarintFieldSize(channel) + 1 + VarintSize(report) + report;
  out->reserve(out->size() + kFrameHeaderBytes + payload);
  AppendFrameHeader(payload, out);
  AppendVarintField(v1::Frame::kRequestIdFieldNumber, request_id, out);
  AppendVarintField(v1::Frame::kChannelFieldNumber, channel, out);
  out->push_back(Tag(v1::Frame::kFullReportFieldNumber, kLengthDelimited));
  AppendVarint(report, out);
  AppendVarintField(v1::FullReport::kSequenceFieldNumber, sequence, out);
  AppendVarintField(v1::FullReport::kCollectedAtFieldNumber, collected, out);
  out->push_back(Tag(v1::FullReport::kFactsFieldNumber, kLengthDelimited));
  AppendVarint(facts_.size(), out);
  out->append(facts_);
}

void AppendFrame(const v1::Frame& frame, std::string* out) {
  const size_t payload = frame.ByteSizeLong();
  AppendFrameHeader(payload, out);
  const size_t at = out->size();
  out->resize(at + payload);
  frame.SerializeWithCachedSizesToArray(reinterpret_cast<uint8_t*>(out->data() + at));
}

}  // namespace estate::loadgen
