// SystemCollector: hostname, FQDN, machine-id, kernel release, boot time,
// uptime, timezone, architecture, hypervisor and container runtime.
// Reads /proc/sys/kernel, /proc/stat, /proc/uptime, /etc and DMI names; never
// resolves names over the network (the FQDN comes from /etc/hosts).
#ifndef ESTATE_AGENT_COLLECTORS_SYSTEM_COLLECTOR_H_
#define ESTATE_AGENT_COLLECTORS_SYSTEM_COLLECTOR_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "agent/collectors/collector.h"

namespace estate::agent {

std::unique_ptr<Collector> MakeSystemCollector();

// "btime N" of /proc/stat.
std::optional<int64_t> ParseBootTime(std::string_view proc_stat);
// First field of /proc/uptime, whole seconds.
std::optional<int64_t> ParseUptime(std::string_view proc_uptime);
// "/usr/share/zoneinfo/Europe/Paris" (target of /etc/localtime) -> "Europe/Paris".
std::string TimezoneFromLocaltimeLink(std::string_view link_target);
// The first dotted name on the /etc/hosts line that names `hostname`; empty if none.
std::string FqdnFromHosts(std::string_view etc_hosts, std::string_view hostname);
// Hypervisor from DMI vendor/product names and the cpuinfo "hypervisor" flag;
// "vm-other" for a VM that names no vendor, empty on bare metal.
std::string DetectHypervisor(std::string_view sys_vendor, std::string_view product_name,
                             std::string_view bios_vendor, bool cpu_hypervisor_flag);
// Container runtime from /proc/1/cgroup text ("docker", "lxc", "kubernetes"...).
std::string ContainerFromCgroup(std::string_view proc1_cgroup);

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COLLECTORS_SYSTEM_COLLECTOR_H_
