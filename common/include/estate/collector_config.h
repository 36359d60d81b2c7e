// The collector connection settings of an agent config file (agent.conf),
// applied to a CollectorClient by the commands that have no config of their
// own: the network scanners, given `--collector-config FILE`.
//   ca_file, collector_fingerprint, insecure_plaintext  how to trust the collector
//   enroll_secret_file                                  to enroll once
//   state_dir                                           where `key_name` is kept (0600)
#ifndef ESTATE_COLLECTOR_CONFIG_H_
#define ESTATE_COLLECTOR_CONFIG_H_

#include <string>

#include "estate/collector_client.h"
#include "estate/status.h"

namespace estate {

// `key_name` is the node key's file name in state_dir ("scanner_key": a
// scanner reports under its own node id, apart from the agent's).
Status ApplyCollectorConfig(const std::string& path, const std::string& key_name,
                            CollectorClientOptions* options);

}  // namespace estate

#endif  // ESTATE_COLLECTOR_CONFIG_H_
