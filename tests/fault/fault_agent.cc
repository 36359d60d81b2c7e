#include "tests/fault/fault_agent.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace estate::fault {
namespace {

namespace fs = std::filesystem;

const std::string kAgent = std::string(ESTATE_BINARY_DIR) + "/agent/estate-agent";
const std::string kFixtureRoot =
    std::string(ESTATE_SOURCE_DIR) + "/tests/fixtures/roots/ws-debian12";

// Replaces `path` whole, atomically: the agent reads the root while we write.
void WriteAtomically(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp";
  std::ofstream(tmp, std::ios::trunc) << content;
  fs::rename(tmp, path);
}

void ReplaceAll(std::string* text, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = text->find(from, pos)) != std::string::npos; pos += to.size()) {
    text->replace(pos, from.size(), to);
  }
}

std::string TwoHex(int v) {
  char buf[3];
  std::snprintf(buf, sizeof buf, "%02x", v & 0xFF);
  return buf;
}

}  // namespace

FaultAgent::FaultAgent(std::string dir, int index, const std::string& collector_address)
    : dir_(std::move(dir)),
      root_(dir_ + "/root"),
      state_(dir_ + "/state"),
      config_(dir_ + "/agent.conf"),
      log_(dir_ + "/agent.log"),
      hostname_("fault-" + std::to_string(index)) {
  fs::create_directories(dir_);
  fs::copy(kFixtureRoot, root_, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  // Every identifier reconciliation matches on is this agent's own.
  const std::string n = TwoHex(index);
  const std::vector<std::pair<std::string, std::string>> identity = {
      {"ws-042", hostname_},
      {"PF2ABCDE", "FAULT" + n},
      {"L1HF16Q00AB", "FAULTBOARD" + n},
      {"IT-004217", "IT-FAULT-" + n},
      {"4c4c4544-0042-3510-8052-b4c04f4e4b32", "4c4c4544-0042-3510-8052-b4c04f4e4b" + n},
      {"8C:16:45:AA:BB:01", "8C:16:45:AA:CC:" + n},
      {"3c:58:c2:11:22:33", "3c:58:c2:11:33:" + n},
  };
  for (const char* file :
       {"etc/hosts", "etc/hostname", "proc/sys/kernel/hostname", "sys/class/dmi/id/product_serial",
        "sys/class/dmi/id/chassis_serial", "sys/class/dmi/id/board_serial",
        "sys/class/dmi/id/chassis_asset_tag", "sys/class/dmi/id/product_uuid",
        "sys/class/net/enp0s31f6/address", "sys/class/net/wlp0s20f3/address"}) {
    const std::string path = root_ + "/" + file;
    std::string text = testing::ReadTextFile(path);
    for (const auto& [from, to] : identity) ReplaceAll(&text, from, to);
    WriteAtomically(path, text);
  }
  WriteAtomically(root_ + "/etc/machine-id", "fa17" + std::string(26, '0') + n + "\n");
  ChangeFacts();
  std::ofstream(config_) << "collector = " << collector_address << "\nstate_dir = " << state_
                         << "\nroot = " << root_
                         << "\ninterval_seconds = 1\njitter_seconds = 0\nretry_seconds = 1\n"
                         << "timeout_ms = 5000\nlog_level = info\n"
                         << "insecure_plaintext = true\n";  // loopback collector, no TLS
}

bool FaultAgent::Start() { return daemon_.Start({kAgent, "run", "--config", config_}, log_); }

int FaultAgent::RunOnce() {
  testing::CommandResult r =
      testing::RunCommand({kAgent, "run", "--config", config_, "--once"}, std::chrono::seconds(60));
  std::ofstream(log_, std::ios::app) << r.out << r.err;
  return r.exit_code;
}

void FaultAgent::Kill() { daemon_.Stop(SIGKILL); }

int FaultAgent::Stop() { return daemon_.Stop(SIGTERM, std::chrono::seconds(30)); }

void FaultAgent::ChangeFacts() {
  ++marker_;
  const std::string status_path = root_ + "/var/lib/dpkg/status";
  std::string status = testing::ReadTextFile(status_path);
  const std::string stanza = "\nPackage: estate-fault-marker\n";
  if (size_t at = status.find(stanza); at != std::string::npos) status.resize(at);
  while (!status.empty() && status.back() == '\n') status.pop_back();
  status += "\n" + stanza + "Status: install ok installed\nArchitecture: all\nVersion: 1." +
            std::to_string(marker_) + "\nDescription: changes on every fault-test step\n";
  WriteAtomically(status_path, status);
}

std::string FaultAgent::node_id() const {
  std::string id = testing::ReadTextFile(state_ + "/node_id");
  while (!id.empty() && (id.back() == '\n' || id.back() == ' ')) id.pop_back();
  return id;
}

FaultAgent::Acks FaultAgent::ParseAcks() const {
  static const std::regex kAck(R"(report (\d+) \((full|delta)\) acknowledged, asset (\S+))");
  Acks acks;
  std::string log = testing::ReadTextFile(log_);
  log.resize(log.rfind('\n') + 1);  // a line still being written is not an ack yet
  std::istringstream in(log);
  std::string line;
  std::smatch m;
  while (std::getline(in, line)) {
    if (!std::regex_search(line, m, kAck)) continue;
    acks.sequences.push_back(std::stoull(m[1].str()));
    acks.asset_ids.insert(m[3].str());
  }
  return acks;
}

std::vector<std::string> FaultAgent::LogLines(const std::string& needle) const {
  std::vector<std::string> out;
  std::istringstream in(testing::ReadTextFile(log_));
  std::string line;
  while (std::getline(in, line)) {
    if (line.find(needle) != std::string::npos) out.push_back(line);
  }
  return out;
}

bool FaultAgent::SpoolEmpty() const {
  std::error_code ec;
  return !fs::exists(state_ + "/spool", ec) || fs::file_size(state_ + "/spool", ec) == 0;
}

std::optional<v1::FullReport> FaultAgent::Reported() const {
  std::ifstream in(state_ + "/reported.pb", std::ios::binary);
  if (!in) return std::nullopt;
  v1::FullReport report;
  if (!report.ParseFromIstream(&in)) return std::nullopt;
  return report;
}

uint64_t FaultAgent::AckedInState() const {
  std::string text = testing::ReadTextFile(state_ + "/acked");
  return text.empty() ? 0 : std::stoull(text);
}

}  // namespace estate::fault
