#include "plugins/snmp/snmp_engine.h"

// clang-format off
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/large_fd_set.h>
// clang-format on

#include <deque>
#include <memory>

#include "plugins/snmp/live_session.h"

namespace estate::plugins::snmp {
namespace {

struct Device {
  size_t index = 0;
  std::string address;
  std::unique_ptr<LiveSession> session;
  std::unique_ptr<DeviceCollector> collector;
  std::optional<SnmpRequest> last_request;
  bool waiting = false;         // a request is out
  bool ready = false;           // answered; send the next one
  bool next_community = false;  // identification timed out; try the next community
};

}  // namespace

SnmpEngine::SnmpEngine(EngineOptions options, const PluginRegistry& plugins,
                       const EnterpriseRegistry* enterprises)
    : options_(std::move(options)), plugins_(plugins), enterprises_(enterprises) {}

std::vector<v1::NetworkDevice> SnmpEngine::RunAll(const std::vector<std::string>& addresses) {
  std::vector<v1::NetworkDevice> results;
  results.reserve(addresses.size());
  Run(addresses, [&](v1::NetworkDevice&& d) { results.push_back(std::move(d)); });
  // Completion order -> input order (the same address may appear twice).
  std::vector<v1::NetworkDevice> ordered(addresses.size());
  std::vector<bool> used(addresses.size(), false);
  for (auto& d : results) {
    for (size_t i = 0; i < addresses.size(); ++i) {
      if (!used[i] && addresses[i] == d.ip()) {
        used[i] = true;
        ordered[i] = std::move(d);
        break;
      }
    }
  }
  return ordered;
}

void SnmpEngine::Run(const std::vector<std::string>& addresses,
                     const std::function<void(v1::NetworkDevice&&)>& on_device) {
  InitNetSnmp();
  stats_ = {};
  stats_.devices = addresses.size();
  const size_t bound = std::max<size_t>(1, options_.concurrency);
  size_t next = 0;
  std::deque<std::unique_ptr<Device>> active;
  netsnmp_large_fd_set fds;
  netsnmp_large_fd_set_init(&fds, FD_SETSIZE);

  auto finish = [&](Device& d) {
    v1::NetworkDevice device = d.collector->Finish();
    if (d.collector->identified()) ++stats_.answered;
    stats_.requests += d.collector->requests();
    stats_.values += d.collector->values();
    on_device(std::move(device));
  };

  // Sends the collector's next request; returns false when the device is done.
  auto pump = [&](Device& d) -> bool {
    d.ready = false;
    if (d.next_community) {  // not from inside net-snmp's callback: it closes sessions
      d.next_community = false;
      d.session->NextCommunity();
    }
    if (!d.last_request) d.last_request = d.collector->NextRequest();
    if (!d.last_request) return false;
    d.waiting = true;
    Device* dp = &d;
    d.session->Send(*d.last_request, [dp](Result<SnmpResponse> r) {
      dp->waiting = false;
      dp->ready = true;
      // Another community may open the door before giving up on the device.
      if (!r.ok() && dp->collector->awaiting_identification() && dp->session->HasNextCommunity()) {
        dp->next_community = true;  // same request again, next community
        return;
      }
      dp->last_request.reset();
      dp->collector->OnResponse(std::move(r));
    });
    return true;
  };

  while (next < addresses.size() || !active.empty()) {
    while (active.size() < bound && next < addresses.size()) {
      auto d = std::make_unique<Device>();
      d->index = next;
      d->address = addresses[next];
      d->session =
          std::make_unique<LiveSession>(d->address, options_.credentials, options_.transport);
      d->collector = std::make_unique<DeviceCollector>(d->address, options_.credentials.version,
                                                       plugins_, enterprises_, options_.limits);
      d->ready = true;
      active.push_back(std::move(d));
      ++next;
    }
    // Send what can be sent; retire finished devices. Answers that arrive
    // synchronously (send failures) just mark the device ready again.
    bool progressed = true;
    while (progressed) {
      progressed = false;
      for (auto it = active.begin(); it != active.end();) {
        Device& d = **it;
        if (d.ready && !d.waiting) {
          progressed = true;
          if (!pump(d)) {
            finish(d);
            it = active.erase(it);
            continue;
          }
        }
        ++it;
      }
    }
    if (active.empty()) continue;
    int max_fd = 0;
    int block = 1;
    struct timeval timeout = {1, 0};
    NETSNMP_LARGE_FD_ZERO(&fds);
    for (auto& d : active) d->session->AddToSelect(&max_fd, &fds, &timeout, &block);
    int n = netsnmp_large_fd_set_select(max_fd, &fds, nullptr, nullptr, &timeout);
    if (n > 0) {
      for (auto& d : active) d->session->Read(&fds);
    }
    for (auto& d : active) d->session->Timeouts();
  }
  netsnmp_large_fd_set_cleanup(&fds);
}

}  // namespace estate::plugins::snmp
