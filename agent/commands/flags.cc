#include "agent/commands/flags.h"

namespace estate::agent {

Result<Flags> Flags::Parse(const std::vector<std::string>& args,
                           const std::set<std::string>& with_value,
                           const std::set<std::string>& switches) {
  Flags flags;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i];
    std::string value;
    bool inline_value = false;
    if (size_t eq = name.find('='); eq != std::string::npos && name.rfind("--", 0) == 0) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      inline_value = true;
    }
    if (switches.count(name) && !inline_value) {
      flags.values_[name] = "true";
    } else if (with_value.count(name)) {
      if (!inline_value) {
        if (i + 1 >= args.size()) return Status::InvalidArgument(name + " needs a value");
        value = args[++i];
      }
      flags.values_[name] = value;
    } else {
      return Status::InvalidArgument("unknown option '" + args[i] + "'");
    }
  }
  return flags;
}

std::optional<std::string> Flags::Get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Flags::GetOr(const std::string& name, const std::string& fallback) const {
  return Get(name).value_or(fallback);
}

bool Flags::Has(const std::string& name) const { return values_.count(name) != 0; }

}  // namespace estate::agent
