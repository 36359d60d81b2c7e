// ConfigFile: "key = value" lines, '#' comments, optional "[section]" headers
// that prefix keys as "section.key". The format of /etc/estate/*.conf.
#ifndef ESTATE_CONFIG_FILE_H_
#define ESTATE_CONFIG_FILE_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "estate/status.h"

namespace estate {

class ConfigFile {
 public:
  static Result<ConfigFile> Load(const std::string& path);
  // Errors name the line: "line 3: expected 'key = value'".
  static Result<ConfigFile> Parse(std::string_view text);

  std::optional<std::string> Get(const std::string& key) const;
  std::string GetOr(const std::string& key, const std::string& fallback) const;
  Result<uint64_t> GetUint(const std::string& key, uint64_t fallback) const;
  Result<bool> GetBool(const std::string& key, bool fallback) const;
  const std::map<std::string, std::string>& values() const { return values_; }
  // The line a key was set on (0 when absent).
  int LineOf(const std::string& key) const;
  // InvalidArgument naming the line and the nearest known key when the file
  // sets a key that is neither in `known` nor starts with one of `prefixes`
  // ("drift_groups." for per-class keys): a typo must not be ignored.
  Status CheckKeys(const std::vector<std::string>& known,
                   const std::vector<std::string>& prefixes = {}) const;

 private:
  std::map<std::string, std::string> values_;
  std::map<std::string, int> lines_;
};

}  // namespace estate

#endif  // ESTATE_CONFIG_FILE_H_
