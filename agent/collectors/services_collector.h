// ServicesCollector: systemd units that are enabled (symlinks in the
// /etc/systemd/system/*.wants and *.requires directories; masked units link
// to /dev/null) or running (a populated cgroup under system.slice). Reads
// files only: no D-Bus, no systemctl.
#ifndef ESTATE_AGENT_COLLECTORS_SERVICES_COLLECTOR_H_
#define ESTATE_AGENT_COLLECTORS_SERVICES_COLLECTOR_H_

#include <memory>

#include "agent/collectors/collector.h"

namespace estate::agent {

std::unique_ptr<Collector> MakeServicesCollector();

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COLLECTORS_SERVICES_COLLECTOR_H_
