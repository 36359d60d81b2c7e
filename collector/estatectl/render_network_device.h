// `estatectl show`: a network device's last SNMP inventory (the "snmp"
// object of the answer) as sections: processors, VLANs with their member
// ports, interfaces with their PVIDs, and modules/transceivers with serials.
#ifndef ESTATE_COLLECTOR_ESTATECTL_RENDER_NETWORK_DEVICE_H_
#define ESTATE_COLLECTOR_ESTATECTL_RENDER_NETWORK_DEVICE_H_

#include <nlohmann/json.hpp>
#include <string>

namespace estate::collector {

// `device`: a v1::NetworkDevice as JSON; empty when it holds none of these.
std::string RenderNetworkDevice(const nlohmann::json& device);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ESTATECTL_RENDER_NETWORK_DEVICE_H_
