// The admin command path on an AdminRequest as it arrives on the admin
// socket: command lookup, role check, argument and option parsing (times,
// durations, filters, asset references) and the command itself, run against a
// small store with two agent assets and a discovered device. The first input
// byte is the caller's role; the rest is the serialized request.
//
// Changes commands make are committed, so the store drifts between inputs; it
// is rebuilt every 2,000 inputs to stay small. `backup` is skipped:
// it writes a copy of the store wherever its argument says.
#include <spdlog/logger.h>

#include <cstdint>
#include <cstdlib>
#include <future>
#include <memory>
#include <string>

#include "collector/admin/admin_command.h"
#include "collector/admin/command_registry.h"
#include "collector/ingest/ingestor.h"
#include "estate/framing.h"
#include "tests/fuzz/fuzz_store.h"

namespace estate::collector {
namespace {

v1::Frame AgentReport(const std::string& host, const std::string& mac, const std::string& ip) {
  v1::Frame frame;
  auto* report = frame.mutable_full_report();
  report->set_sequence(1);
  v1::HostFacts* facts = report->mutable_facts();
  facts->set_hostname(host);
  facts->set_fqdn(host + ".corp.example");
  facts->set_machine_id(std::string(32, host[0]));
  facts->mutable_os()->set_name("Debian GNU/Linux");
  facts->mutable_os()->set_version("12");
  facts->mutable_dmi()->set_serial("SN-" + host);
  auto* package = facts->add_software();
  package->set_name("openssh-server");
  package->set_version("1:9.2p1-2");
  package->set_source("deb");
  auto* nic = facts->mutable_network()->add_interfaces();
  nic->set_name("eth0");
  nic->set_mac(mac);
  nic->set_kind("physical");
  auto* addr = nic->add_addresses();
  addr->set_address(ip);
  addr->set_prefix_length(24);
  addr->set_family("ipv4");
  return frame;
}

v1::Frame Sighting() {
  v1::Frame frame;
  auto* report = frame.mutable_observations();
  report->set_sequence(1);
  auto* o = report->add_observations();
  o->set_source(v1::OBSERVATION_SOURCE_ARP_SWEEP);
  o->set_mac("00:1b:21:0a:0b:0c");
  o->set_ip("192.0.2.77");
  o->set_seen_at(1'800'000'000);
  return frame;
}

// A collector without sockets: store, writer thread, commands.
struct Collector {
  Collector() : ingestor(db.store(), NullLogger(), Options()) {
    if (!ingestor.Start().ok()) std::abort();
    Submit({"node-ws1", "ws1", "", v1::PEER_KIND_AGENT},
           AgentReport("ws1", "8c:16:45:00:00:01", "192.0.2.11"));
    Submit({"node-srv", "srv", "", v1::PEER_KIND_AGENT},
           AgentReport("srv", "8c:16:45:00:00:02", "192.0.2.12"));
    Submit({"scanner", "scanner", "", v1::PEER_KIND_SCANNER}, Sighting());
  }
  static IngestorOptions Options() {
    IngestorOptions options;
    options.sync = false;  // nothing here needs to survive a power cut
    return options;
  }
  static std::shared_ptr<spdlog::logger> NullLogger() {
    return std::make_shared<spdlog::logger>("fuzz");  // no sinks: silent
  }
  void Submit(const Peer& peer, v1::Frame report) {
    std::promise<void> done;
    ingestor.Submit(peer, std::move(report), [&](v1::Frame) { done.set_value(); });
    done.get_future().wait();
  }

  fuzz::FuzzStore db;
  Ingestor ingestor;
  ServerCounters counters;
  CommandRegistry commands = MakeBuiltinCommands();
};

}  // namespace
}  // namespace estate::collector

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace estate;
  using namespace estate::collector;
  if (size < 1) return 0;
  v1::AdminRequest request;
  if (!DecodeFramePayload(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1),
                          &request)
           .ok()) {
    return 0;
  }
  if (request.command() == "backup") return 0;
  Collector& collector = estate::fuzz::CollectorForNextInput<Collector>();
  Caller caller;
  caller.uid = 1000;
  caller.user = "fuzz";
  caller.role = static_cast<Role>(data[0] % 4);
  AdminContext context{collector.db.store(), collector.counters, collector.ingestor, caller,
                       1'800'000'000};
  (void)collector.commands.Execute(request, context);
  return 0;
}
