#include "agent/agent_state.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <random>

#include "agent/durable_file.h"
#include "estate/host_root.h"
#include "estate/secret_file.h"
#include "estate/text.h"

namespace estate::agent {
namespace {

Status MakeDirs(const std::string& dir) {
  for (size_t pos = 1; pos <= dir.size(); ++pos) {
    if (pos != dir.size() && dir[pos] != '/') continue;
    const std::string prefix = dir.substr(0, pos);
    if (::mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) {
      return Status::FromErrno("mkdir " + prefix, errno);
    }
  }
  return Status::Ok();
}

// Reads a whole file; NotFound passes through so callers can start fresh.
Result<std::string> Read(const std::string& path) {
  return HostRoot("/").ReadFile(path, 256u << 20);
}

}  // namespace

std::string NewUuid() {
  std::random_device device;
  uint8_t bytes[16];
  for (int i = 0; i < 16; i += 4) {
    uint32_t r = device();
    for (int k = 0; k < 4; ++k) bytes[i + k] = static_cast<uint8_t>(r >> (8 * k));
  }
  bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0F) | 0x40);
  bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3F) | 0x80);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0xF];
  }
  return out;
}

Result<AgentState> AgentState::Open(const std::string& dir) {
  ESTATE_RETURN_IF_ERROR(MakeDirs(dir));
  AgentState state(dir);
  auto node_id = Read(dir + "/node_id");
  if (node_id.ok() && !Trim(*node_id).empty()) {
    state.node_id_ = std::string(Trim(*node_id));
  } else if (!node_id.ok() && !node_id.status().IsNotFound()) {
    return node_id.status();
  } else {
    state.node_id_ = NewUuid();
    ESTATE_RETURN_IF_ERROR(WriteFileDurably(dir + "/node_id", state.node_id_ + "\n"));
  }
  if (auto text = Read(dir + "/sequence"); text.ok()) {
    state.last_sequence_ = ParseUint(*text).value_or(0);
  }
  if (auto text = Read(dir + "/acked"); text.ok()) {
    state.acked_ = ParseUint(*text).value_or(0);
  }
  if (auto bytes = Read(dir + "/reported.pb"); bytes.ok()) {
    v1::FullReport report;
    // A damaged base only costs a full report: start without one.
    if (report.ParseFromString(*bytes)) state.reported_ = std::move(report);
  }
  if (state.reported_) {
    state.last_sequence_ = std::max(state.last_sequence_, state.reported_->sequence());
  }
  if (auto key = ReadSecretFile(dir + "/" + kNodeKeyFile, "node key"); key.ok()) {
    state.node_key_ = *key;
  }
  return state;
}

Status AgentState::SetNodeKey(const std::string& key) {
  ESTATE_RETURN_IF_ERROR(WriteSecretFile(dir_ + "/" + kNodeKeyFile, key));
  node_key_ = key;
  return Status::Ok();
}

Result<uint64_t> AgentState::NextSequence(uint64_t now_ms) {
  const uint64_t next = std::max(last_sequence_ + 1, now_ms);
  ESTATE_RETURN_IF_ERROR(WriteFileDurably(dir_ + "/sequence", std::to_string(next) + "\n"));
  last_sequence_ = next;
  return next;
}

Status AgentState::SetReported(const v1::FullReport& report) {
  ESTATE_RETURN_IF_ERROR(WriteFileDurably(dir_ + "/reported.pb", report.SerializeAsString()));
  reported_ = report;
  return Status::Ok();
}

Status AgentState::SetAcked(uint64_t sequence) {
  ESTATE_RETURN_IF_ERROR(WriteFileDurably(dir_ + "/acked", std::to_string(sequence) + "\n"));
  acked_ = sequence;
  return Status::Ok();
}

}  // namespace estate::agent
