// The collectors estate-agent runs, in the order they run.
#ifndef ESTATE_AGENT_COLLECTORS_BUILTIN_COLLECTORS_H_
#define ESTATE_AGENT_COLLECTORS_BUILTIN_COLLECTORS_H_

#include <memory>
#include <vector>

#include "agent/collectors/collector.h"

namespace estate::agent {

std::vector<std::unique_ptr<Collector>> BuiltinCollectors();

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COLLECTORS_BUILTIN_COLLECTORS_H_
