#include "estate/option_table.h"

#include <algorithm>
#include <cstring>

#include "estate/suggest.h"

namespace estate {

std::optional<std::string> ParsedOptions::Get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> ParsedOptions::All(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>() : it->second;
}

Result<ParsedOptions> ParseOptions(const std::vector<std::string>& args,
                                   std::span<const OptionRow> table) {
  ParsedOptions out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      out.positional_.insert(out.positional_.end(), args.begin() + i + 1, args.end());
      break;
    }
    if (arg.empty() || arg[0] != '-' || arg == "-") {
      out.positional_.push_back(arg);
      continue;
    }
    std::string name = arg;
    std::optional<std::string> inline_value;
    if (size_t eq = arg.find('='); eq != std::string::npos) {
      name = arg.substr(0, eq);
      inline_value = arg.substr(eq + 1);
    }
    const OptionRow* row = nullptr;
    for (const OptionRow& r : table) {
      if (name == r.name) row = &r;
    }
    if (!row) {
      std::vector<std::string> names;
      for (const OptionRow& r : table) names.emplace_back(r.name);
      return Status::InvalidArgument("unknown option '" + name + "'" + DidYouMean(name, names));
    }
    std::string value = "true";
    if (!row->value) {
      if (inline_value) return Status::InvalidArgument(name + " takes no value");
    } else if (inline_value) {
      value = *inline_value;
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return Status::InvalidArgument(name + " needs " + row->value);
    }
    auto& values = out.values_[name];
    if (!values.empty() && !row->repeatable && row->value) {
      return Status::InvalidArgument(name + " given twice ('" + values.back() + "' and '" + value +
                                     "')");
    }
    values.push_back(std::move(value));
  }
  return out;
}

std::string OptionsHelp(std::span<const OptionRow> table) {
  constexpr size_t kColumn = 26;  // where help starts
  std::string out;
  for (const OptionRow& r : table) {
    std::string head = std::string("  ") + r.name;
    if (r.value) head += std::string(" ") + r.value;
    out += head;
    out.append(head.size() + 1 < kColumn ? kColumn - head.size() : 1, ' ');
    for (const char* p = r.help; *p; ++p) {
      out += *p;
      if (*p == '\n') out.append(kColumn, ' ');
    }
    out += '\n';
  }
  return out;
}

}  // namespace estate
