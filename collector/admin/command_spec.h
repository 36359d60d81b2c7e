// CommandSpec: the one declared option table of an admin command. estatectl
// parses its command line from it, `--help`, the shell completion and the man
// page test read it, and the collector checks every request against it, so an
// option no table declares is an error everywhere instead of being ignored.
// Plain data; thread-safe to read.
#ifndef ESTATE_COLLECTOR_ADMIN_COMMAND_SPEC_H_
#define ESTATE_COLLECTOR_ADMIN_COMMAND_SPEC_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "estate/status.h"
#include "estate/v1/admin.pb.h"

namespace estate::collector {

// What an option's value must be; checked on both sides of the socket.
enum class ValueKind {
  kSwitch,    // no value ("--managed")
  kText,      // any non-empty text
  kNumber,    // a decimal count
  kDuration,  // 7d, 12h, 30m, 90s
  kDate,      // an ISO 8601 date or time (UTC)
  kChoice,    // one of `choices`
};

struct OptionSpec {
  OptionSpec(std::string name_, ValueKind kind_, std::string value_name_, std::string help_,
             std::vector<std::string> choices_ = {}, bool repeatable_ = false)
      : name(std::move(name_)),
        kind(kind_),
        value_name(std::move(value_name_)),
        help(std::move(help_)),
        choices(std::move(choices_)),
        repeatable(repeatable_) {}

  std::string name;  // without the leading "--"
  ValueKind kind = ValueKind::kText;
  std::string value_name;  // "DATE", shown in help; empty for switches
  std::string help;
  std::vector<std::string> choices;  // kChoice
  // May be given several times; estatectl sends a collector command the
  // values joined by newlines (import --map).
  bool repeatable = false;
};

// One form of a command. Commands like `approve device|software|service`
// have one form per first argument, each with its own options.
struct CommandForm {
  std::string selector;  // the first argument naming the form; empty: the command's only form
  std::string usage;     // the positional part after the command name: "device ASSET..."
  std::string help;      // one line
  std::vector<OptionSpec> options;
  int min_args = 0;   // positional arguments, the selector included
  int max_args = -1;  // -1: any number
};

struct CommandSpec {
  CommandSpec(std::string name_, std::string group_, std::vector<CommandForm> forms_,
              bool list_ = false, bool local_ = false)
      : name(std::move(name_)),
        group(std::move(group_)),
        forms(std::move(forms_)),
        list(list_),
        local(local_) {}

  std::string name;
  std::string group;  // the --help section: Inventory, Shadow IT and drift, ...
  std::vector<CommandForm> forms;
  bool list = false;   // prints a list: takes --csv and --columns
  bool local = false;  // runs in estatectl, not in the collector (pki)

  // The form a request's first argument selects; nullptr with the reason in *error.
  const CommandForm* FormFor(const std::vector<std::string>& args, Status* error) const;
  // Every option of every form, once (the first declaration of a name wins).
  std::vector<OptionSpec> AllOptions() const;
};

// Options of a shared set (the asset filters) followed by a command's own.
std::vector<OptionSpec> Concat(std::vector<OptionSpec> first, const std::vector<OptionSpec>& then);

// The result of parsing one estatectl command line against the tables.
struct ParsedCommandLine {
  std::string command;
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> options;  // in order; switches "true"
  std::map<std::string, std::string> globals;                // --socket, --json, --csv, ...
  bool help = false;  // --help given: print the command's (or the general) help
};

// Options every estatectl command line may carry, and those of list commands.
const std::vector<OptionSpec>& GlobalOptions();
const std::vector<OptionSpec>& ListOptions();

// Strict: an unknown option, a missing value, a bad value, a repeated option
// or a wrong number of arguments is an InvalidArgument naming it and the
// nearest valid spelling.
Result<ParsedCommandLine> ParseCommandLine(const std::vector<CommandSpec>& specs,
                                           const std::vector<std::string>& argv);

// The collector's check of a request against the command's table (a request
// may come from another client than estatectl).
Status CheckRequest(const CommandSpec& spec, const v1::AdminRequest& request);

// Checks one value against its option's kind.
Status CheckOptionValue(const OptionSpec& option, const std::string& value);

// `estatectl COMMAND --help`.
std::string FormatCommandHelp(const CommandSpec& spec);
// One line per form for the general --help: "  assets [filters]   list assets".
std::string FormatCommandSummary(const CommandSpec& spec);
// A bash completion script: commands, form selectors, options and choices.
std::string FormatBashCompletion(const std::vector<CommandSpec>& specs);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_COMMAND_SPEC_H_
