// GuestCollector: the virtual machines and containers this host runs, read
// from their managers' files without asking the daemons: libvirt QEMU domains
// (/etc/libvirt/qemu/*.xml, running ones in /run/libvirt/qemu, IPs from the
// leases of libvirt's dnsmasq), Docker containers
// (/var/lib/docker/containers/*/config.v2.json), Podman's rootful containers
// (overlay-containers/containers.json) and LXC containers (/var/lib/lxc).
// A guest's MACs let the collector tell a guest seen on the network from a
// shadow device.
#ifndef ESTATE_AGENT_COLLECTORS_GUEST_COLLECTOR_H_
#define ESTATE_AGENT_COLLECTORS_GUEST_COLLECTOR_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agent/collectors/collector.h"

namespace estate::agent {

// A libvirt domain XML (a definition, or a status file <domstatus state=...>
// wrapping one): name, uuid, MACs and, for a status file, its state.
// InvalidArgument when it holds no <domain> with a name.
Result<v1::Guest> ParseLibvirtDomain(std::string_view xml);

// MAC -> IP from a libvirt dnsmasq leases file (<network>.status, JSON).
std::map<std::string, std::string> ParseLibvirtLeases(std::string_view json);

// A Docker config.v2.json. InvalidArgument when it does not parse (a file
// caught mid-write) or has no ID.
Result<v1::Guest> ParseDockerConfig(std::string_view json);

// Podman's containers.json: one guest per container, state unknown.
Result<std::vector<v1::Guest>> ParsePodmanContainers(std::string_view json);

// An LXC config: the MACs of its lxc.net.N.hwaddr keys.
std::vector<std::string> ParseLxcMacs(std::string_view config);

std::unique_ptr<Collector> MakeGuestCollector();

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COLLECTORS_GUEST_COLLECTOR_H_
