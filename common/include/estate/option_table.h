// A command's options declared once, as a table: the --help text, the parser
// and the man page check (tests) all read the same rows. Unknown options,
// missing values, values given to switches and repeats of a single-valued
// option are errors; an unknown option's error names the nearest valid one.
// Pure; thread-safe.
#ifndef ESTATE_OPTION_TABLE_H_
#define ESTATE_OPTION_TABLE_H_

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "estate/status.h"

namespace estate {

struct OptionRow {
  const char* name;         // "--community"
  const char* value;        // "C" for an option taking a value; nullptr for a switch
  const char* help;         // may hold "\n": continuation lines, indented under the first
  bool repeatable = false;  // several values, kept in order (--community a --community b)
};

class ParsedOptions {
 public:
  bool Has(const std::string& name) const { return values_.count(name) != 0; }
  // The value of a single-valued option; nullopt when not given.
  std::optional<std::string> Get(const std::string& name) const;
  // Every value of a repeatable option, in order.
  std::vector<std::string> All(const std::string& name) const;
  // The arguments that are not options, in order.
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  friend Result<ParsedOptions> ParseOptions(const std::vector<std::string>&,
                                            std::span<const OptionRow>);
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
};

// "--name VALUE", "--name=VALUE" and "--switch"; anything not starting with
// "-" is positional, and so is everything after "--".
Result<ParsedOptions> ParseOptions(const std::vector<std::string>& args,
                                   std::span<const OptionRow> table);

// The table as --help lines: "  --name VALUE   help", help aligned.
std::string OptionsHelp(std::span<const OptionRow> table);

}  // namespace estate

#endif  // ESTATE_OPTION_TABLE_H_
