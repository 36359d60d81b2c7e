// Flags: the "--name value" and "--switch" arguments of one subcommand.
// Parse() rejects unknown names and missing values with a usage message.
#ifndef ESTATE_AGENT_COMMANDS_FLAGS_H_
#define ESTATE_AGENT_COMMANDS_FLAGS_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "estate/status.h"

namespace estate::agent {

class Flags {
 public:
  // `with_value` names take one argument; `switches` take none.
  static Result<Flags> Parse(const std::vector<std::string>& args,
                             const std::set<std::string>& with_value,
                             const std::set<std::string>& switches);

  std::optional<std::string> Get(const std::string& name) const;
  std::string GetOr(const std::string& name, const std::string& fallback) const;
  bool Has(const std::string& name) const;

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COMMANDS_FLAGS_H_
