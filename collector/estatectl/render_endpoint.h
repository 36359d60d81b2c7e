// `estatectl show`: what an agent reported of the endpoint beyond its board
// (monitors, batteries, security posture, printers, guests), as sections.
#ifndef ESTATE_COLLECTOR_ESTATECTL_RENDER_ENDPOINT_H_
#define ESTATE_COLLECTOR_ESTATECTL_RENDER_ENDPOINT_H_

#include <nlohmann/json.hpp>
#include <string>

namespace estate::collector {

// `facts`: one node's HostFacts as JSON; empty when it holds none of them.
std::string RenderEndpointFacts(const std::string& node, const nlohmann::json& facts);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ESTATECTL_RENDER_ENDPOINT_H_
