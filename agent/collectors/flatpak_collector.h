// FlatpakCollector: system-wide flatpak applications and runtimes from
// /var/lib/flatpak/{app,runtime}/<id>/current (a link to "<arch>/<branch>"),
// with the version from the deployed metainfo when it names one.
#ifndef ESTATE_AGENT_COLLECTORS_FLATPAK_COLLECTOR_H_
#define ESTATE_AGENT_COLLECTORS_FLATPAK_COLLECTOR_H_

#include <memory>
#include <string>
#include <string_view>

#include "agent/collectors/collector.h"

namespace estate::agent {

std::unique_ptr<Collector> MakeFlatpakCollector();

// The remote a deployment came from: the first member of its "deploy" file
// (a serialized GVariant whose first member is the origin string); "" when
// the file does not start with a plausible remote name.
std::string DeployOrigin(std::string_view deploy);

// The first <release version="..."> of an AppStream metainfo file.
std::string MetainfoVersion(std::string_view xml);

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COLLECTORS_FLATPAK_COLLECTOR_H_
