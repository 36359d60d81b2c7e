// WriteFactsJson: the facts as `ProtoToJson(facts).dump(2)` prints them,
// written without building the JSON tree of the whole host: one top-level
// field at a time, the software list one package at a time. A thousand
// packages make a tree of megabytes, more than the agent's 10 MB RSS budget
// leaves once the libraries are mapped.
#ifndef ESTATE_AGENT_COMMANDS_FACTS_JSON_H_
#define ESTATE_AGENT_COMMANDS_FACTS_JSON_H_

#include <ostream>

#include "estate/v1/facts.pb.h"

namespace estate::agent {

// Consumes `facts` (its software list is released as it is written).
void WriteFactsJson(v1::HostFacts facts, std::ostream& out);

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COMMANDS_FACTS_JSON_H_
