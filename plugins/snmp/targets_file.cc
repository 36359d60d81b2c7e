#include "plugins/snmp/targets_file.h"

#include <set>

#include "estate/text.h"

namespace estate::plugins::snmp {

Result<std::vector<TargetLine>> ParseTargetsFile(std::string_view text, const std::string& path) {
  std::vector<TargetLine> out;
  int number = 0;
  for (std::string_view raw : Split(text, '\n')) {
    ++number;
    std::string_view line = raw;
    if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    std::vector<std::string> words;
    for (std::string_view w : Split(line, ' ')) {
      for (std::string_view part : Split(w, '\t')) {
        if (!Trim(part).empty()) words.emplace_back(Trim(part));
      }
    }
    if (words.empty()) continue;
    const std::string where = path + ":" + std::to_string(number) + ": ";
    if (words.size() > 3) {
      return Status::InvalidArgument(where + "want HOST [PORT] [PROFILE], got " +
                                     std::to_string(words.size()) + " fields");
    }
    TargetLine t;
    t.target = words[0];
    t.line = number;
    size_t next = 1;
    if (words.size() > 1) {
      if (auto port = ParseUint(words[1])) {
        if (*port == 0 || *port > 65535) {
          return Status::InvalidArgument(where + "port " + words[1] + " is not 1..65535");
        }
        t.port = static_cast<uint16_t>(*port);
        next = 2;
      } else if (words.size() == 3) {
        return Status::InvalidArgument(where + "port \"" + words[1] + "\" is not a number");
      }
    }
    if (next < words.size()) t.profile = words[next];
    out.push_back(std::move(t));
  }
  return out;
}

Result<Credentials> ProfileCredentials(const ConfigFile& config, const std::string& name,
                                       const Credentials& base) {
  const std::string prefix = "snmp.profile." + name + ".";
  std::set<std::string> profiles;
  bool found = false;
  for (const auto& [key, value] : config.values()) {
    if (key.starts_with("snmp.profile.")) {
      std::string rest = key.substr(13);
      profiles.insert(rest.substr(0, rest.find('.')));
    }
    if (key.starts_with(prefix)) found = true;
  }
  if (!found) {
    std::string known;
    for (const auto& p : profiles) known += (known.empty() ? "" : ", ") + p;
    return Status::NotFound(
        "no profile \"" + name + "\" ([snmp.profile." + name +
        "] in the --config file); profiles: " + (known.empty() ? "none" : known));
  }
  static const std::set<std::string> kKeys = {"version",       "communities",   "v3_user",
                                              "v3_level",      "auth_protocol", "auth_password",
                                              "priv_protocol", "priv_password"};
  Credentials c = base;
  for (const auto& [key, value] : config.values()) {
    if (!key.starts_with(prefix)) continue;
    const std::string k = key.substr(prefix.size());
    if (!kKeys.count(k)) {
      return Status::InvalidArgument("[snmp.profile." + name + "]: unknown key \"" + k + "\"");
    }
    if (k == "version") c.version = value;
    if (k == "communities") {
      c.communities.clear();
      for (auto part : Split(value, ',')) {
        if (!Trim(part).empty()) c.communities.emplace_back(Trim(part));
      }
    }
    if (k == "v3_user") c.user = value;
    if (k == "v3_level") c.level = value;
    if (k == "auth_protocol") c.auth_protocol = value;
    if (k == "auth_password") c.auth_password = value;
    if (k == "priv_protocol") c.priv_protocol = value;
    if (k == "priv_password") c.priv_password = value;
  }
  if (auto st = c.Validate(); !st.ok()) {
    return Status::InvalidArgument("[snmp.profile." + name + "]: " + st.message());
  }
  return c;
}

}  // namespace estate::plugins::snmp
