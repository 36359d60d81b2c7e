// StorageCollector: block devices from /sys/block (model, serial, size, kind,
// removable, WWN, partitions) and mounted filesystems from /proc/self/mounts,
// with size and free space from statvfs on the live system. Network
// filesystems are listed but never statvfs'd: that would talk to their server.
#ifndef ESTATE_AGENT_COLLECTORS_STORAGE_COLLECTOR_H_
#define ESTATE_AGENT_COLLECTORS_STORAGE_COLLECTOR_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agent/collectors/collector.h"

namespace estate::agent {

std::unique_ptr<Collector> MakeStorageCollector();

// Mounts of real filesystems (pseudo filesystems such as proc, sysfs, cgroup left out).
std::vector<v1::Filesystem> ParseMounts(std::string_view proc_mounts);
// "\040" escapes of /proc/mounts decoded.
std::string UnescapeMountField(std::string_view field);
bool IsNetworkFilesystem(std::string_view type);

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COLLECTORS_STORAGE_COLLECTOR_H_
