#include "estate/config_file.h"

#include <algorithm>

#include "estate/host_root.h"
#include "estate/suggest.h"
#include "estate/text.h"

namespace estate {

Result<ConfigFile> ConfigFile::Load(const std::string& path) {
  auto text = HostRoot("/").ReadFile(path, 4 << 20);
  if (!text.ok()) return text.status();
  auto parsed = Parse(*text);
  if (!parsed.ok()) return parsed.status().WithContext(path);
  return parsed;
}

Result<ConfigFile> ConfigFile::Parse(std::string_view text) {
  ConfigFile config;
  std::string section;
  int line_number = 0;
  for (std::string_view line : Split(text, '\n')) {
    ++line_number;
    line = Trim(line);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[') {
      if (line.back() != ']') {
        return Status::InvalidArgument("line " + std::to_string(line_number) +
                                       ": unclosed section header");
      }
      section = std::string(Trim(line.substr(1, line.size() - 2)));
      continue;
    }
    size_t eq = line.find('=');
    if (eq == std::string_view::npos || Trim(line.substr(0, eq)).empty()) {
      return Status::InvalidArgument("line " + std::to_string(line_number) +
                                     ": expected 'key = value'");
    }
    std::string key(Trim(line.substr(0, eq)));
    std::string_view value = Trim(line.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    const std::string full = section.empty() ? key : section + "." + key;
    config.values_[full] = std::string(value);
    config.lines_[full] = line_number;
  }
  return config;
}

int ConfigFile::LineOf(const std::string& key) const {
  auto it = lines_.find(key);
  return it == lines_.end() ? 0 : it->second;
}

Status ConfigFile::CheckKeys(const std::vector<std::string>& known,
                             const std::vector<std::string>& prefixes) const {
  for (const auto& [key, line] : lines_) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    bool prefixed = false;
    for (const auto& p : prefixes) prefixed |= StartsWith(key, p) && key.size() > p.size();
    if (prefixed) continue;
    return Status::InvalidArgument("line " + std::to_string(line) + ": unknown key '" + key + "'" +
                                   DidYouMean(key, known));
  }
  return Status::Ok();
}

std::optional<std::string> ConfigFile::Get(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string ConfigFile::GetOr(const std::string& key, const std::string& fallback) const {
  return Get(key).value_or(fallback);
}

Result<uint64_t> ConfigFile::GetUint(const std::string& key, uint64_t fallback) const {
  auto value = Get(key);
  if (!value) return fallback;
  auto parsed = ParseUint(*value);
  if (!parsed) return Status::InvalidArgument(key + ": '" + *value + "' is not a number");
  return *parsed;
}

Result<bool> ConfigFile::GetBool(const std::string& key, bool fallback) const {
  auto value = Get(key);
  if (!value) return fallback;
  std::string v = ToLower(*value);
  if (v == "true" || v == "yes" || v == "1" || v == "on") return true;
  if (v == "false" || v == "no" || v == "0" || v == "off") return false;
  return Status::InvalidArgument(key + ": '" + *value + "' is not a boolean");
}

}  // namespace estate
