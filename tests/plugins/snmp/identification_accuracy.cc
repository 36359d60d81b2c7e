#include "tests/plugins/snmp/identification_accuracy.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "estate/text.h"
#include "plugins/snmp/definitions.h"
#include "plugins/snmp/device_collector.h"
#include "plugins/snmp/enterprise_registry.h"
#include "plugins/snmp/replay_session.h"
#include "plugins/snmp/walk_parser.h"

namespace estate::plugins::snmp {
namespace {

// Lower-case letters and digits only: "WS-C3560G-24PS" == "ws c3560g 24ps".
std::string Fold(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

std::string JsonText(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_string()) return "";
  return std::string(Trim(j[key].get<std::string>()));
}

// Every string value of the recording, folded, for "does the device hold it".
std::string RecordingText(const std::string& path) {
  auto text = ReadWholeFile(path);
  if (!text.ok()) return "";
  auto parsed = ParseSnmprec(*text);
  std::string all;
  for (const auto& vb : parsed.varbinds) {
    if (vb.type == ValueType::kOctetString) {
      all += Fold(OctetsToText(vb.bytes));
      all += '|';
    } else if (vb.IsNumeric()) {
      all += std::to_string(vb.number) + "|";
    }
  }
  return all;
}

}  // namespace

std::string DefaultCorpusDir() {
  for (const char* rel :
       {"/../shared/fixtures/snmp-corpus", "/../../shared/fixtures/snmp-corpus"}) {
    const std::string dir = std::string(ESTATE_SOURCE_DIR) + rel;
    std::error_code ec;
    if (std::filesystem::is_directory(dir, ec)) return dir;
  }
  return "";
}

std::string LibrenmsCategory(const std::string& t) {
  if (t == "switch" || t == "router" || t == "network" || t == "media_converter") return "network";
  if (t == "access_point" || t == "wireless_controller") return "wireless";
  if (t == "ups" || t == "pdu" || t == "power") return "power";
  if (t == "load_balancer") return "loadbalancer";
  if (t == "phone") return "collaboration";
  if (t == "bmc") return "server";
  if (t == "hypervisor" || t == "workstation") return "server";
  return t;
}

Result<AccuracyReport> MeasureAccuracy(const std::string& corpus_dir, const PluginRegistry& plugins,
                                       const std::string& disagreements_path) {
  namespace fs = std::filesystem;
  std::set<std::pair<std::string, std::string>> disagree;
  if (!disagreements_path.empty()) {
    auto text = ReadWholeFile(disagreements_path);
    if (!text.ok()) return text.status();
    for (auto line : Split(*text, '\n')) {
      if (line.empty() || line.front() == '#') continue;
      auto cols = Split(line, '\t');
      if (cols.size() < 3) {
        return Status::InvalidArgument(disagreements_path +
                                       ": want NAME<TAB>FIELD<TAB>why: " + std::string(line));
      }
      disagree.insert({std::string(cols[0]), std::string(cols[1])});
    }
  }
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(corpus_dir, ec)) {
    const std::string file = e.path().filename().string();
    if (e.path().extension() == ".snmprec" && file.find('@') == std::string::npos) {
      names.push_back(e.path().stem().string());
    }
  }
  if (ec) return Status::IoError(corpus_dir + ": " + ec.message());
  std::sort(names.begin(), names.end());
  auto enterprises = EnterpriseRegistry::Load(kDefaultEnterprisesPath);

  AccuracyReport report;
  for (const std::string& name : names) {
    const std::string base = corpus_dir + "/" + name;
    std::ifstream in(base + ".json");
    if (!in) continue;
    nlohmann::json expected_json;
    try {
      expected_json = nlohmann::json::parse(in)["os"]["discovery"]["devices"][0];
    } catch (const std::exception&) {
      continue;
    }
    std::vector<std::string> warnings;
    auto session = ReplaySession::FromSnmprecFile(base + ".snmprec", &warnings);
    if (!session.ok()) continue;
    DeviceCollector collector("192.0.2.1", "v2c", plugins,
                              enterprises.ok() ? &*enterprises : nullptr);
    const v1::NetworkDevice d = CollectSync(collector, **session);
    const std::string held = RecordingText(base + ".snmprec");
    ++report.recordings;

    DeviceOutcome outcome;
    outcome.name = name;
    outcome.requests = collector.requests();
    outcome.enterprise = d.enterprise();
    auto score = [&](const std::string& field, const std::string& ours, const std::string& expected,
                     bool must_be_held) {
      auto& f = outcome.fields[field];
      f.ours = ours;
      f.expected = expected;
      FieldScore& s = report.fields[field];
      // Anonymised ("<private>") and placeholder values ("0000000000",
      // "Unknown", "XXXXXXXX") are not the device's: nothing to score.
      if (expected.empty() || expected == "<private>" || IsPlaceholder(expected) ||
          disagree.count({name, field}) ||
          (must_be_held && held.find(Fold(expected)) == std::string::npos)) {
        f.verdict = "skipped";
        ++s.skipped;
        return;
      }
      if (ours.empty()) {
        f.verdict = "missing";
        ++s.missing;
      } else if (Fold(ours) == Fold(expected)) {
        f.verdict = "right";
        ++s.right;
      } else {
        f.verdict = "wrong";
        ++s.wrong;
      }
    };
    score("model", d.model(), JsonText(expected_json, "hardware"), true);
    score("serial", d.serial(), JsonText(expected_json, "serial"), true);
    score("firmware", d.firmware(), JsonText(expected_json, "version"), true);
    // Type: Estate's finer types against LibreNMS's categories.
    std::string type = JsonText(expected_json, "type");
    {
      auto& f = outcome.fields["type"];
      f.ours = d.type();
      f.expected = type;
      FieldScore& s = report.fields["type"];
      if (type.empty() || disagree.count({name, "type"})) {
        f.verdict = "skipped";
        ++s.skipped;
      } else if (d.type().empty()) {
        f.verdict = "missing";
        ++s.missing;
      } else if (LibrenmsCategory(d.type()) == type ||
                 // LibreNMS files BMCs under management, appliance or server alike.
                 (d.type() == "bmc" && (type == "management" || type == "appliance"))) {
        f.verdict = "right";
        ++s.right;
      } else {
        f.verdict = "wrong";
        ++s.wrong;
      }
    }
    // Vendor: LibreNMS records none; the brand is right when the family's
    // name, sysDescr or model names it (its first word, folded).
    {
      auto& f = outcome.fields["vendor"];
      f.ours = d.vendor();
      f.expected = JsonText(expected_json, "os");
      FieldScore& s = report.fields["vendor"];
      std::string first = d.vendor().substr(0, d.vendor().find(' '));
      const std::string word = Fold(first);
      // LibreNMS's icon is named after the vendor ("hpe.svg", "cisco.svg").
      std::string icon = JsonText(expected_json, "icon");
      icon = Fold(icon.substr(0, icon.find('.')));
      const std::string evidence = Fold(f.expected) + "|" + icon + "|" + Fold(d.sys_descr()) + "|" +
                                   Fold(JsonText(expected_json, "hardware"));
      if (disagree.count({name, "vendor"})) {
        f.verdict = "skipped";
        ++s.skipped;
      } else if (d.vendor().empty()) {
        f.verdict = "missing";
        ++s.missing;
      } else if ((word.size() >= 2 && evidence.find(word) != std::string::npos) ||
                 (icon.size() >= 2 && icon != "generic" &&
                  Fold(d.vendor()).find(icon) != std::string::npos)) {
        f.verdict = "right";
        ++s.right;
      } else {
        f.verdict = "wrong";  // unconfirmed: nothing in the device names this brand
        ++s.wrong;
      }
    }
    report.devices.push_back(std::move(outcome));
  }
  return report;
}

}  // namespace estate::plugins::snmp
