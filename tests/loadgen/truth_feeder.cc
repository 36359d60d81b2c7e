#include "tests/loadgen/truth_feeder.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>
#include <vector>

#include "estate/collector_client.h"
#include "estate/framing.h"

namespace estate::loadgen {
namespace {

constexpr char kVersion[] = "estate-fleet-truth";

// A node: agent `device` (scanner < 0) or the `stream` scanner of subnet `scanner`.
struct Node {
  uint32_t device = 0;
  int64_t scanner = -1;
  uint32_t stream = 0;
  uint32_t sent = 0;  // reports sent so far: the next one's index
  uint32_t channel = 0;
  bool greeted = false;
};

class Connection {
 public:
  Connection(const TruthFleet& fleet, const FeedOptions& options, uint32_t index, FeedStats* stats)
      : fleet_(fleet), options_(options), stats_(stats) {
    CollectorClientOptions o;
    o.collector = options.collector;
    o.kind = v1::PEER_KIND_SCANNER;
    o.node_id = "truth-" + std::to_string(fleet.options().seed) + "-relay-" + std::to_string(index);
    o.hostname = o.node_id;
    o.software_version = kVersion;
    o.tls = options.tls;
    o.enroll_secret = options.enroll_secret;
    o.multiplex = true;
    o.timeout = std::chrono::milliseconds(120000);
    client_ = std::make_unique<CollectorClient>(std::move(o));
  }

  // Sends `node`'s next report; false when the connection is lost for good.
  bool Send(Node& node) {
    if (!client_->connected()) {
      for (Node* n : greeted_) n->greeted = false;
      greeted_.clear();
      Status st = client_->Connect();
      if (!st.ok()) return Fail("connect: " + st.ToString());
    }
    if (!node.greeted && !Greet(node)) return false;
    v1::Frame frame;
    frame.set_channel(node.channel);
    const uint64_t sequence = node.sent + 1;
    if (node.scanner >= 0) {
      auto* report = frame.mutable_observations();
      report->set_sequence(sequence);
      fleet_.BuildSweep(static_cast<uint32_t>(node.scanner), node.stream, node.sent,
                        first_sweep_at_ + node.sent * 3600, report);
    } else if (node.sent == 0) {
      auto* report = frame.mutable_full_report();
      report->set_sequence(sequence);
      report->set_collected_at(first_sweep_at_ - 3600);
      fleet_.BuildFacts(node.device, 0, report->mutable_facts());
    } else {
      auto* report = frame.mutable_delta_report();
      report->set_sequence(sequence);
      report->set_base_sequence(sequence - 1);
      report->set_collected_at(first_sweep_at_ - 3600 + node.sent * 3600);
      fleet_.BuildDelta(node.device, node.sent, report);
    }
    // An SNMP sweep's place in the order is when it was sent: the collector
    // cannot have applied it before a report acknowledged earlier.
    uint64_t sent_order = 0;
    Count([&](FeedStats&) { sent_order = ++acked_; });
    for (int attempt = 0;; ++attempt) {
      auto answer = client_->Call(frame);
      if (!answer.ok()) return Fail("report: " + answer.status().ToString());
      if (answer->has_ack()) break;
      const auto& error = answer->error();
      if ((error.code() == v1::ERROR_CODE_UNAVAILABLE ||
           error.code() == v1::ERROR_CODE_RATE_LIMITED) &&
          attempt < 1000) {
        Count([](FeedStats& s) { s.backpressure++; });
        std::this_thread::sleep_for(
            std::chrono::milliseconds(std::max(10u, error.retry_after_ms())));
        continue;
      }
      Error("report of " + Name(node) + " refused: " + v1::ErrorCode_Name(error.code()) + " " +
            error.message());
      node.sent++;
      return true;
    }
    Count([&](FeedStats& s) {
      const uint64_t order = ++acked_;
      if (node.scanner >= 0 && node.stream == TruthFleet::kSnmpStream) {
        s.snmp_round_sent[static_cast<size_t>(node.scanner)][node.sent] = sent_order;
      } else if (node.scanner < 0 && node.sent == 0) {
        s.full_report_acked[node.device] = order;
      }
      if (frame.has_observations()) {
        s.sweeps++;
        s.sightings += static_cast<uint64_t>(frame.observations().observations_size());
      } else if (frame.has_full_report()) {
        s.full_reports++;
      } else {
        s.delta_reports++;
      }
    });
    node.sent++;
    return true;
  }

 private:
  std::string Name(const Node& node) const {
    return node.scanner >= 0
               ? fleet_.ScannerNodeId(static_cast<uint32_t>(node.scanner), node.stream)
               : fleet_.NodeId(node.device);
  }

  // Enroll (once per run) and Hello through the relay: the node's channel.
  bool Greet(Node& node) {
    const bool scanner = node.scanner >= 0;
    const std::string id = Name(node);
    const std::string hostname = scanner ? id : fleet_.devices()[node.device].hostname;
    const auto kind = scanner ? v1::PEER_KIND_SCANNER : v1::PEER_KIND_AGENT;
    std::string& key = keys_[id];
    if (key.empty() && !options_.enroll_secret.empty()) {
      v1::Frame enroll;
      auto* e = enroll.mutable_enroll();
      e->set_enroll_secret(options_.enroll_secret);
      e->set_node_id(id);
      e->set_hostname(hostname);
      e->set_kind(kind);
      auto answer = client_->Call(enroll);
      if (!answer.ok()) return Fail("enroll: " + answer.status().ToString());
      if (!answer->has_enroll_ack())
        return Fail("enroll of " + id + " refused: " + answer->error().message());
      key = answer->enroll_ack().node_key();
    }
    v1::Frame hello;
    auto* h = hello.mutable_hello();
    h->set_protocol_version(kProtocolVersion);
    h->set_min_protocol_version(kMinProtocolVersion);
    h->set_kind(kind);
    h->set_node_id(id);
    h->set_hostname(hostname);
    h->set_software_version(kVersion);
    h->set_node_key(key);
    h->set_multiplex(true);
    auto answer = client_->Call(hello);
    if (!answer.ok()) return Fail("hello: " + answer.status().ToString());
    if (!answer->has_hello_ack())
      return Fail("hello of " + id + " refused: " + answer->error().message());
    node.channel = answer->hello_ack().channel();
    node.greeted = true;
    greeted_.push_back(&node);
    return true;
  }

  bool Fail(const std::string& what) {
    Error(what);
    return false;
  }
  void Error(const std::string& what) {
    Count([&](FeedStats& s) {
      if (s.errors++ == 0) s.first_error = what;
    });
  }
  template <typename F>
  void Count(F f) {
    static std::mutex mu;
    std::lock_guard lock(mu);
    f(*stats_);
  }

  const TruthFleet& fleet_;
  const FeedOptions& options_;
  // Reports carry times of the last hours, as a live fleet's do (the
  // collector matches addresses only to records seen recently): full reports
  // an hour before the first sweep, an hour between rounds, the last an hour ago.
  const int64_t first_sweep_at_ =
      static_cast<int64_t>(std::time(nullptr)) -
      3600 * static_cast<int64_t>(std::max(fleet_.options().rounds, fleet_.options().deltas + 1));
  FeedStats* stats_;
  std::unique_ptr<CollectorClient> client_;
  static inline uint64_t acked_ = 0;                   // under Count's lock
  std::unordered_map<std::string, std::string> keys_;  // node id -> key (kept for reconnects)
  std::vector<Node*> greeted_;
};

}  // namespace

Result<FeedStats> FeedFleet(const TruthFleet& fleet, const FeedOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  std::vector<Node> nodes;
  std::vector<uint32_t> order;  // node index once per report it sends
  const auto& devices = fleet.devices();
  for (uint32_t d = 0; d < devices.size(); ++d) {
    if (!devices[d].agent()) continue;
    nodes.push_back({d, -1});
    order.insert(order.end(), 1 + fleet.options().deltas, static_cast<uint32_t>(nodes.size() - 1));
  }
  for (uint32_t s = 0; s < fleet.subnets(); ++s) {
    for (uint32_t stream : {TruthFleet::kArpStream, TruthFleet::kSnmpStream}) {
      nodes.push_back({0, s, stream});
      order.insert(order.end(), fleet.options().rounds, static_cast<uint32_t>(nodes.size() - 1));
    }
  }
  // A uniformly random interleaving that keeps each node's reports in order:
  // the k-th occurrence of a node is its k-th report.
  std::mt19937_64 rng(options.order_seed);
  std::shuffle(order.begin(), order.end(), rng);

  FeedStats stats;
  stats.full_report_acked.assign(devices.size(), 0);
  stats.snmp_round_sent.assign(fleet.subnets(), std::vector<uint64_t>(fleet.options().rounds, 0));
  const uint32_t connections = std::max(1u, options.connections);
  std::vector<std::thread> threads;
  for (uint32_t c = 0; c < connections; ++c) {
    threads.emplace_back([&, c] {
      Connection connection(fleet, options, c, &stats);
      for (uint32_t n : order) {
        if (n % connections != c) continue;
        if (!connection.Send(nodes[n])) return;
      }
    });
  }
  for (auto& t : threads) t.join();
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (stats.full_reports + stats.delta_reports + stats.sweeps == 0) {
    return Status::Unavailable("nothing was acknowledged: " + stats.first_error);
  }
  return stats;
}

}  // namespace estate::loadgen
