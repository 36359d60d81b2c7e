// inventory_bench: a foreign agent's full inventory against estate-agent's
// Protobuf full report of the same facts, measured in the same run.
//
// The inventory is a real FusionInventory one from a Windows laptop
// (tests/fixtures/third_party/glpi-inventory-format/xml/12.xml) grown to
// --packages SOFTWARES entries (its own entries, renamed), one per host with
// its own device id, serial, UUID and MACs; the GLPI JSON form is the same
// content. Per report it measures the decode (inflate, parse, map onto
// HostFacts) of the zlib XML, the gzip JSON and the Protobuf frame, then the
// ingest (reconciliation, storage, group commit) of --hosts reports decoded
// from XML and of --hosts decoded from Protobuf. Last, the whole path on 2
// cores as estated runs it: 2 threads (the io threads) decode bodies and
// submit them to one Ingestor (its writer), a fresh store per format, so each
// format's rate is that of first reports of --hosts new machines.
// Run: build/tests/bench/inventory/inventory_bench [--hosts 400] [--packages 1500] [--dir DIR]
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "collector/inventory/inventory_protocol.h"
#include "collector/inventory/inventory_tree.h"
#include "tests/bench/bench_figures.h"
#include "tests/bench/bench_ingest.h"

namespace {

using namespace estate;
using namespace estate::collector;
using namespace estate::bench;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void ReplaceAll(std::string* s, const std::string& from, const std::string& to) {
  for (size_t at = 0; (at = s->find(from, at)) != std::string::npos; at += to.size()) {
    s->replace(at, from.size(), to);
  }
}

// The fixture for host `n`: its identifiers made unique, SOFTWARES grown to `packages`.
std::string HostXml(const std::string& fixture, int n, int packages) {
  std::string xml = fixture;
  char id[32];
  std::snprintf(id, sizeof(id), "%06d", n);
  ReplaceAll(&xml, "pc-arg-23", std::string("bench-") + id);
  ReplaceAll(&xml, "CZC0479792", std::string("SN") + id);
  ReplaceAll(&xml, "33E737A8-F827-11DF-9297-47C0A3", std::string("33E737A8-F827-11DF-9297-") + id);
  char mac[8];
  std::snprintf(mac, sizeof(mac), "%02X:%02X", (n >> 8) & 0xff, n & 0xff);
  for (const std::string real :
       {"68:B5:99:E6:84:EB", "00:22:10:D4:3E:74", "74:F3:95:C7:E8:C2", "00:FF:3A:68:62:80"}) {
    ReplaceAll(&xml, real, real.substr(0, 12) + mac);  // the vendor's prefix, the host's suffix
  }
  // Grow SOFTWARES from the fixture's own entries, renamed per copy.
  std::vector<std::string> entries;
  for (size_t at = 0; (at = xml.find("<SOFTWARES>", at)) != std::string::npos;) {
    const size_t end = xml.find("</SOFTWARES>", at) + 12;
    entries.push_back(xml.substr(at, end - at));
    at = end;
  }
  std::string grown;
  for (int i = 0; i < packages; ++i) {
    std::string e = entries[static_cast<size_t>(i) % entries.size()];
    const size_t name = e.find("<NAME>") + 6;
    e.insert(name, "pkg" + std::to_string(i) + "-");
    grown += e;
  }
  const size_t first = xml.find("<SOFTWARES>");
  const size_t last = xml.rfind("</SOFTWARES>") + 12;
  xml.replace(first, last - first, grown);
  return xml;
}

// The same content as GLPI native JSON.
std::string ToJson(const InventoryNode& node) {
  std::function<nlohmann::json(const InventoryNode&)> convert = [&](const InventoryNode& n) {
    if (n.children.empty()) return nlohmann::json(n.text);
    nlohmann::json out = nlohmann::json::object();
    for (const auto& c : n.children) {
      std::string key = c.name;
      std::transform(key.begin(), key.end(), key.begin(), ::tolower);
      if (out.contains(key)) {
        if (!out[key].is_array()) out[key] = nlohmann::json::array({out[key]});
        out[key].push_back(convert(c));
      } else {
        out[key] = convert(c);
      }
    }
    return out;
  };
  nlohmann::json root = {{"action", "inventory"},
                         {"deviceid", std::string(node.Text("DEVICEID"))},
                         {"itemtype", "Computer"},
                         {"content", convert(*node.Child("CONTENT"))}};
  return root.dump();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int hosts = 400, packages = 1500;
  std::string dir = "/tmp/estate-inventory-bench-" + std::to_string(getpid());
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--hosts") {
      hosts = std::atoi(argv[i + 1]);
    } else if (flag == "--packages") {
      packages = std::atoi(argv[i + 1]);
    } else if (flag == "--dir") {
      dir = argv[i + 1];
    } else {
      std::fprintf(stderr, "unknown flag %s\n", argv[i]);
      return 2;
    }
  }
  const std::string fixture =
      ReadFile(std::string(ESTATE_SOURCE_DIR) +
               "/tests/fixtures/third_party/glpi-inventory-format/xml/12.xml");
  if (fixture.empty()) return 1;

  // Bodies as the agents send them, and the Protobuf report of the same facts.
  std::vector<std::string> xml_bodies, json_bodies, proto_frames;
  size_t xml_bytes = 0, json_bytes = 0, proto_bytes = 0;
  for (int n = 0; n < hosts; ++n) {
    const std::string xml = HostXml(fixture, n, packages);
    auto tree = ParseInventoryXml(xml);
    if (!tree.ok()) {
      std::fprintf(stderr, "%s\n", tree.status().ToString().c_str());
      return 1;
    }
    xml_bodies.push_back(*EncodeBody(xml, BodyEncoding::kZlib));
    json_bodies.push_back(*EncodeBody(ToJson(*tree), BodyEncoding::kGzip));
    InventoryReply reply =
        HandleInventoryRequest({xml_bodies.back(), "FusionInventory-Agent_v2.6"}, {});
    if (!reply.report) {
      std::fprintf(stderr, "fixture refused: %s\n", reply.error.c_str());
      return 1;
    }
    v1::Frame frame;
    frame.mutable_full_report()->set_sequence(1);
    *frame.mutable_full_report()->mutable_facts() = reply.report->facts;
    proto_frames.push_back(frame.SerializeAsString());
    xml_bytes += xml_bodies.back().size();
    json_bytes += json_bodies.back().size();
    proto_bytes += proto_frames.back().size();
  }
  std::printf(
      "inventory_bench: %d hosts, %d packages each; bodies: XML+zlib %.0f KB, "
      "JSON+gzip %.0f KB, Protobuf %.0f KB per report\n",
      hosts, packages, xml_bytes / 1024.0 / hosts, json_bytes / 1024.0 / hosts,
      proto_bytes / 1024.0 / hosts);

  // Decode: one thread, each report timed.
  auto time_each = [&](auto&& decode) {
    std::vector<double> us;
    for (int n = 0; n < hosts; ++n) {
      const auto start = Clock::now();
      decode(n);
      us.push_back(Seconds(Clock::now() - start) * 1e6);
    }
    return Median(us);
  };
  std::vector<v1::HostFacts> from_xml(static_cast<size_t>(hosts));
  const double xml_us = time_each([&](int n) {
    InventoryReply r = HandleInventoryRequest({xml_bodies[n], "FusionInventory-Agent_v2.6"}, {});
    from_xml[static_cast<size_t>(n)] = std::move(r.report->facts);
  });
  const double json_us = time_each([&](int n) {
    InventoryReply r = HandleInventoryRequest({json_bodies[n], "GLPI-Agent_v1.7"}, {});
    if (!r.report) std::abort();
  });
  std::vector<v1::Frame> from_proto(static_cast<size_t>(hosts));
  const double proto_us = time_each([&](int n) {
    if (!from_proto[static_cast<size_t>(n)].ParseFromString(proto_frames[n])) std::abort();
  });
  std::printf(
      "decode, median per report (1 core): XML+zlib %.0f us, JSON+gzip %.0f us, "
      "Protobuf %.0f us; XML/Protobuf %.1fx, JSON/Protobuf %.1fx\n",
      xml_us, json_us, proto_us, xml_us / proto_us, json_us / proto_us);

  // Ingest: the same facts, as foreign-agent reports and as agent reports.
  std::filesystem::remove_all(dir);
  StoreOptions store_options;
  store_options.path = dir;
  auto collector = BenchCollector::Open(store_options);
  if (!collector) return 1;
  uint64_t refused = 0;
  std::vector<Submission> foreign, agent;
  for (int n = 0; n < hosts; ++n) {
    Submission s;
    s.peer = {"fusioninventory:bench-" + std::to_string(n), "", "2.6",
              v1::PEER_KIND_FUSIONINVENTORY};
    s.frame.mutable_full_report()->set_sequence(1);
    *s.frame.mutable_full_report()->mutable_facts() = from_xml[static_cast<size_t>(n)];
    foreign.push_back(std::move(s));
  }
  const double foreign_s = SubmitAndWait(*collector->ingestor, foreign, &refused);
  // The agent reports are the same machines a second time: the foreign
  // reports' assets stay theirs, so each is compared and stored like a change.
  for (int n = 0; n < hosts; ++n) {
    Submission s;
    s.peer = {"agent-" + std::to_string(n), "", "bench", v1::PEER_KIND_AGENT};
    s.frame = std::move(from_proto[static_cast<size_t>(n)]);
    agent.push_back(std::move(s));
  }
  const double agent_s = SubmitAndWait(*collector->ingestor, agent, &refused);
  std::printf(
      "ingest (writer): foreign %.0f reports/s, agent Protobuf %.0f reports/s; "
      "refused %llu\n",
      hosts / foreign_s, hosts / agent_s, static_cast<unsigned long long>(refused));
  collector.reset();
  std::filesystem::remove_all(dir);

  // The whole path on 2 cores, per format: bodies in, durable reports out.
  auto pipeline = [&](const char* name, auto&& decode) -> double {
    const std::string format_dir = dir + "-" + name;
    std::filesystem::remove_all(format_dir);
    StoreOptions options;
    options.path = format_dir;
    auto c = BenchCollector::Open(options);
    if (!c) std::exit(1);
    std::atomic<int> next{0};
    std::mutex mu;
    std::condition_variable cv;
    int answered = 0;
    uint64_t nacked = 0;
    const auto start = Clock::now();
    std::vector<std::thread> io;
    for (int t = 0; t < 2; ++t) {
      io.emplace_back([&] {
        for (int n; (n = next.fetch_add(1)) < hosts;) {
          Submission s = decode(n);
          c->ingestor->Submit(s.peer, std::move(s.frame), [&](v1::Frame answer) {
            std::lock_guard lock(mu);
            if (!answer.has_ack()) ++nacked;
            ++answered;
            cv.notify_all();
          });
        }
      });
    }
    for (auto& t : io) t.join();
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return answered == hosts; });
    }
    const double seconds = Seconds(Clock::now() - start);
    c.reset();
    std::filesystem::remove_all(format_dir);
    if (nacked != 0) {
      std::fprintf(stderr, "%s: %llu reports refused\n", name,
                   static_cast<unsigned long long>(nacked));
      std::exit(1);
    }
    return hosts / seconds;
  };
  auto from_agent = [&](const std::vector<std::string>& bodies, const char* user_agent) {
    return [&bodies, user_agent](int n) {
      InventoryReply r = HandleInventoryRequest({bodies[static_cast<size_t>(n)], user_agent}, {});
      if (!r.report) std::abort();
      Submission s;
      s.peer = {r.report->node_id, "", r.report->version, r.report->kind};
      s.frame.mutable_full_report()->set_sequence(1);
      *s.frame.mutable_full_report()->mutable_facts() = std::move(r.report->facts);
      return s;
    };
  };
  const double xml_rate = pipeline("xml", from_agent(xml_bodies, "FusionInventory-Agent_v2.6"));
  const double json_rate = pipeline("json", from_agent(json_bodies, "GLPI-Agent_v1.7"));
  const double proto_rate = pipeline("proto", [&](int n) {
    Submission s;
    s.peer = {"agent-" + std::to_string(n), "", "bench", v1::PEER_KIND_AGENT};
    if (!s.frame.ParseFromString(proto_frames[static_cast<size_t>(n)])) std::abort();
    return s;
  });
  std::printf(
      "whole path on 2 cores (2 decoding threads, 1 writer; first reports of %d machines): "
      "XML %.0f/s, JSON %.0f/s, Protobuf %.0f/s; Protobuf/XML %.2fx, Protobuf/JSON %.2fx\n",
      hosts, xml_rate, json_rate, proto_rate, proto_rate / xml_rate, proto_rate / json_rate);
  return 0;
}
