// MonitorCollector: the displays connected to the host, one per DRM connector
// with an EDID (/sys/class/drm/<card>-<connector>/edid), named from hwdata's
// /usr/share/hwdata/pnp.ids and falling back to the three-letter PNP id.
// A monitor is an asset of its own: its serial is what follows it from desk
// to desk.
#ifndef ESTATE_AGENT_COLLECTORS_MONITOR_COLLECTOR_H_
#define ESTATE_AGENT_COLLECTORS_MONITOR_COLLECTOR_H_

#include <memory>

#include "agent/collectors/collector.h"

namespace estate::agent {

std::unique_ptr<Collector> MakeMonitorCollector();

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COLLECTORS_MONITOR_COLLECTOR_H_
