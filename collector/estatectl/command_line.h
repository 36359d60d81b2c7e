// estatectl's command line: the option tables of every command it knows (the
// collector's, from the same objects the collector runs, and its local ones),
// and the general usage made from them.
#ifndef ESTATE_COLLECTOR_ESTATECTL_COMMAND_LINE_H_
#define ESTATE_COLLECTOR_ESTATECTL_COMMAND_LINE_H_

#include <string>
#include <vector>

#include "collector/admin/command_spec.h"

namespace estate::collector {

// The commands estatectl runs itself (pki, completion).
const std::vector<CommandSpec>& LocalSpecs();
// The collector's commands and the local ones.
std::vector<CommandSpec> AllCommandSpecs();
// `estatectl --help`.
std::string GeneralUsage(const std::vector<CommandSpec>& specs);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ESTATECTL_COMMAND_LINE_H_
