#include "collector/admin/command_spec.h"

#include <algorithm>
#include <set>

#include "collector/admin/admin_args.h"
#include "estate/suggest.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

const OptionSpec* FindOption(const std::vector<OptionSpec>& options, const std::string& name) {
  for (const auto& o : options) {
    if (o.name == name) return &o;
  }
  return nullptr;
}

std::vector<std::string> Dashed(const std::vector<OptionSpec>& options) {
  std::vector<std::string> names;
  for (const auto& o : options) names.push_back("--" + o.name);
  return names;
}

std::string Join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : sep) + item;
  return out;
}

// "`approve device`": how errors name the form.
std::string FormName(const CommandSpec& spec, const CommandForm& form) {
  return "`" + spec.name + (form.selector.empty() ? "" : " " + form.selector) + "`";
}

std::string Usage(const CommandSpec& spec, const CommandForm& form) {
  std::string usage = spec.name;
  if (!form.usage.empty()) usage += " " + form.usage;
  return usage;
}

Status CheckArgCount(const CommandSpec& spec, const CommandForm& form, size_t count) {
  const bool too_few = static_cast<int>(count) < form.min_args;
  const bool too_many = form.max_args >= 0 && static_cast<int>(count) > form.max_args;
  if (!too_few && !too_many) return Status::Ok();
  return Status::InvalidArgument(std::string(too_few ? "missing argument" : "too many arguments") +
                                 " for " + FormName(spec, form) + "; usage: " + Usage(spec, form));
}

// The options a form accepts: its own, plus --csv/--columns on list commands.
std::vector<OptionSpec> FormOptions(const CommandSpec& spec, const CommandForm& form) {
  std::vector<OptionSpec> options = form.options;
  if (spec.list) {
    for (const auto& o : ListOptions()) options.push_back(o);
  }
  return options;
}

}  // namespace

const CommandForm* CommandSpec::FormFor(const std::vector<std::string>& args, Status* error) const {
  if (forms.size() == 1 && forms[0].selector.empty()) return &forms[0];
  std::vector<std::string> selectors;
  const CommandForm* bare = nullptr;
  for (const auto& form : forms) {
    if (form.selector.empty()) {
      bare = &form;
      continue;
    }
    selectors.push_back(form.selector);
    if (!args.empty() && args[0] == form.selector) return &form;
  }
  // `policy` lists, `policy remove ID` removes: a form without a selector
  // takes the calls whose first argument names no other form.
  if (bare != nullptr && (args.empty() || bare->max_args != 0)) return bare;
  const std::string given = args.empty() ? "" : args[0];
  *error = Status::InvalidArgument((given.empty()
                                        ? "`" + name + "` needs one of: "
                                        : "`" + name + " " + given + "`: unknown form; one of: ") +
                                   Join(selectors, ", ") + DidYouMean(given, selectors));
  return nullptr;
}

std::vector<OptionSpec> CommandSpec::AllOptions() const {
  std::vector<OptionSpec> all;
  for (const auto& form : forms) {
    for (const auto& o : form.options) {
      if (FindOption(all, o.name) == nullptr) all.push_back(o);
    }
  }
  if (list) {
    for (const auto& o : ListOptions()) all.push_back(o);
  }
  return all;
}

std::vector<OptionSpec> Concat(std::vector<OptionSpec> first, const std::vector<OptionSpec>& then) {
  first.insert(first.end(), then.begin(), then.end());
  return first;
}

const std::vector<OptionSpec>& GlobalOptions() {
  static const auto* options = new std::vector<OptionSpec>{
      {"socket", ValueKind::kText, "PATH",
       "the collector's admin socket (default ./estate-data/admin.sock when present, else "
       "/run/estate/admin.sock)"},
      {"json", ValueKind::kSwitch, "", "print the result as JSON, for scripts"},
      {"help", ValueKind::kSwitch, "", "print the usage (of a command, after its name) and exit"},
  };
  return *options;
}

const std::vector<OptionSpec>& ListOptions() {
  static const auto* options = new std::vector<OptionSpec>{
      {"csv", ValueKind::kSwitch, "",
       "print the list as CSV (RFC 4180; cells a spreadsheet would run as a formula are "
       "prefixed with ')"},
      {"columns", ValueKind::kText, "LIST",
       "the columns to print, comma-separated, for --csv or a table (estatectl(8) lists them)"},
  };
  return *options;
}

Status CheckOptionValue(const OptionSpec& option, const std::string& value) {
  const std::string flag = "--" + option.name;
  switch (option.kind) {
    case ValueKind::kSwitch:
      if (value != "true") return Status::InvalidArgument(flag + " takes no value");
      return Status::Ok();
    case ValueKind::kText:
      break;
    case ValueKind::kNumber:
      if (!ParseUint(value)) {
        return Status::InvalidArgument(flag + ": '" + value + "' is not a number");
      }
      return Status::Ok();
    case ValueKind::kDuration:
      if (auto d = ParseDurationSeconds(value); !d.ok()) {
        return Status::InvalidArgument(flag + ": " + d.status().message());
      }
      return Status::Ok();
    case ValueKind::kDate:
      if (auto t = ParseTime(value, false); !t.ok()) {
        return Status::InvalidArgument(flag + ": " + t.status().message());
      }
      return Status::Ok();
    case ValueKind::kChoice:
      if (std::find(option.choices.begin(), option.choices.end(), value) == option.choices.end()) {
        return Status::InvalidArgument(flag + ": '" + value + "' is not one of " +
                                       Join(option.choices, ", ") +
                                       DidYouMean(value, option.choices));
      }
      return Status::Ok();
  }
  if (value.empty()) return Status::InvalidArgument(flag + " needs a value");
  return Status::Ok();
}

Result<ParsedCommandLine> ParseCommandLine(const std::vector<CommandSpec>& specs,
                                           const std::vector<std::string>& argv) {
  ParsedCommandLine parsed;
  // The command is the first word that is neither an option nor a global's value.
  const CommandSpec* spec = nullptr;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "--socket") {
      ++i;
      continue;
    }
    if (a == "--") break;
    if (StartsWith(a, "-")) continue;
    for (const auto& s : specs) {
      if (s.name == a) spec = &s;
    }
    if (spec == nullptr) {
      std::vector<std::string> names;
      for (const auto& s : specs) names.push_back(s.name);
      return Status::InvalidArgument("unknown command '" + a + "'" + DidYouMean(a, names) +
                                     "; estatectl --help lists them");
    }
    break;
  }
  std::vector<OptionSpec> accepted = GlobalOptions();
  if (spec != nullptr) {
    for (const auto& o : spec->AllOptions()) accepted.push_back(o);
  }
  bool rest_positional = false;
  std::set<std::string> seen;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (rest_positional || !StartsWith(a, "-") || a == "-") {
      if (parsed.command.empty()) {
        parsed.command = a;
      } else {
        parsed.args.push_back(a);
      }
      continue;
    }
    if (a == "--") {
      rest_positional = true;
      continue;
    }
    if (a == "-h") {
      parsed.help = true;
      continue;
    }
    std::string name = a.substr(a.rfind('-', 1) + 1);
    std::optional<std::string> inline_value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const OptionSpec* option = StartsWith(a, "--") ? FindOption(accepted, name) : nullptr;
    if (option == nullptr) {
      const std::string flag = StartsWith(a, "--") ? "--" + name : a;
      return Status::InvalidArgument(
          "unknown option " + flag +
          (spec ? " for `" + spec->name + "`" : std::string(" (no command yet)")) +
          DidYouMean(flag, Dashed(accepted)) + "; estatectl " +
          (spec ? spec->name + " " : std::string()) + "--help lists them");
    }
    std::string value = "true";
    if (option->kind == ValueKind::kSwitch) {
      if (inline_value) return Status::InvalidArgument("--" + name + " takes no value");
    } else if (inline_value) {
      value = *inline_value;
    } else if (i + 1 >= argv.size() || (StartsWith(argv[i + 1], "--") && argv[i + 1].size() > 2)) {
      // A following option (or a mistyped one) is not taken as this one's value:
      // `--owner --ownr x` is an error, not owner "--ownr". --name=--x says it.
      return Status::InvalidArgument("--" + name + " needs a value (" + option->value_name + ")");
    } else {
      value = argv[++i];
    }
    if (name == "help") {
      parsed.help = true;
      continue;
    }
    ESTATE_RETURN_IF_ERROR(CheckOptionValue(*option, value));
    if (!option->repeatable && !seen.insert(name).second) {
      return Status::InvalidArgument("--" + name + " is given twice");
    }
    if (FindOption(GlobalOptions(), name) != nullptr) {
      parsed.globals[name] = value;
    } else {
      parsed.options.emplace_back(name, value);
    }
  }
  if (parsed.help || spec == nullptr) return parsed;
  Status error;
  const CommandForm* form = spec->FormFor(parsed.args, &error);
  if (form == nullptr) return error;
  const std::vector<OptionSpec> allowed = FormOptions(*spec, *form);
  for (const auto& [name, value] : parsed.options) {
    if (FindOption(allowed, name) == nullptr) {
      return Status::InvalidArgument("--" + name + " is not an option of " +
                                     FormName(*spec, *form) + "; usage: " + Usage(*spec, *form));
    }
  }
  ESTATE_RETURN_IF_ERROR(CheckArgCount(*spec, *form, parsed.args.size()));
  return parsed;
}

Status CheckRequest(const CommandSpec& spec, const v1::AdminRequest& request) {
  std::vector<std::string> args(request.args().begin(), request.args().end());
  Status error;
  const CommandForm* form = spec.FormFor(args, &error);
  if (form == nullptr) return error;
  const std::vector<OptionSpec> allowed = FormOptions(spec, *form);
  // Sorted, so the error is the same whatever the map's order.
  std::map<std::string, std::string> options(request.options().begin(), request.options().end());
  for (const auto& [name, value] : options) {
    const OptionSpec* option = FindOption(allowed, name);
    if (option == nullptr) {
      return Status::InvalidArgument("unknown option --" + name + " for " + FormName(spec, *form) +
                                     DidYouMean("--" + name, Dashed(allowed)));
    }
    ESTATE_RETURN_IF_ERROR(CheckOptionValue(*option, value));
  }
  return CheckArgCount(spec, *form, args.size());
}

namespace {

std::string OptionSynopsis(const OptionSpec& o) {
  std::string text = "--" + o.name;
  if (o.kind == ValueKind::kChoice) {
    text += " " + Join(o.choices, "|");
  } else if (o.kind != ValueKind::kSwitch) {
    text += " " + o.value_name;
  }
  return text;
}

}  // namespace

std::string FormatCommandHelp(const CommandSpec& spec) {
  std::string out;
  for (const auto& form : spec.forms) {
    out += (out.empty() ? "usage: estatectl " : "       estatectl ") + Usage(spec, form) +
           (form.options.empty() ? "" : " [options]") + "\n";
  }
  for (const auto& form : spec.forms) {
    out += "\n" + Usage(spec, form) + ": " + form.help + "\n";
    std::vector<OptionSpec> options = FormOptions(spec, form);
    for (const auto& o : options) {
      std::string left = "  " + OptionSynopsis(o);
      left.append(left.size() < 30 ? 30 - left.size() : 1, ' ');
      out += left + o.help + (o.repeatable ? " (repeatable)" : "") + "\n";
    }
  }
  return out;
}

std::string FormatCommandSummary(const CommandSpec& spec) {
  std::string out;
  for (const auto& form : spec.forms) {
    std::string left = "  " + Usage(spec, form);
    if (left.size() >= 34) {
      out += left + "\n";
      left.clear();
    }
    left.append(34 - left.size(), ' ');
    out += left + form.help + "\n";
  }
  return out;
}

std::string FormatBashCompletion(const std::vector<CommandSpec>& specs) {
  std::string commands, cases;
  for (const auto& spec : specs) {
    commands += (commands.empty() ? "" : " ") + spec.name;
    std::vector<std::string> words;
    for (const auto& form : spec.forms) {
      if (!form.selector.empty()) words.push_back(form.selector);
    }
    for (const auto& o : spec.AllOptions()) words.push_back("--" + o.name);
    for (const auto& o : GlobalOptions()) words.push_back("--" + o.name);
    cases += "    " + spec.name + ") words=\"" + Join(words, " ") + "\" ;;\n";
  }
  std::string choices;
  std::set<std::string> done;
  for (const auto& spec : specs) {
    for (const auto& o : spec.AllOptions()) {
      if (o.kind != ValueKind::kChoice || !done.insert(o.name).second) continue;
      choices += "    --" + o.name + ") COMPREPLY=($(compgen -W \"" + Join(o.choices, " ") +
                 "\" -- \"$cur\")); return ;;\n";
    }
  }
  return "# bash completion for estatectl, generated from its option tables:\n"
         "#   source <(estatectl completion bash)\n"
         "_estatectl() {\n"
         "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd= w\n"
         "  case \"$prev\" in\n" +
         choices +
         "  esac\n"
         "  for w in \"${COMP_WORDS[@]:1:COMP_CWORD-1}\"; do\n"
         "    case \"$w\" in -*) ;; *) cmd=$w; break ;; esac\n"
         "  done\n"
         "  local words\n"
         "  case \"$cmd\" in\n"
         "    '') words=\"" +
         commands + " --socket --json --help\" ;;\n" + cases +
         "  esac\n"
         "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
         "}\n"
         "complete -F _estatectl estatectl\n";
}

}  // namespace estate::collector
