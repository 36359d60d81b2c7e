// LanguagePackagesCollector: packages installed system-wide by a language's
// own package manager, a common way shadow software arrives: Python
// (pip: *.dist-info / *.egg-info), Node (npm -g: node_modules/*/package.json)
// and Ruby (gem: specifications/*.gemspec). Reported as software with the
// ecosystem as source: pypi, npm, gem.
//
// Directories the OS package manager owns (Debian's /usr/lib/python3/
// dist-packages and /usr/share/nodejs, Fedora's /usr/share/gems) are left to
// the dpkg and rpm collectors; in /usr/lib*/python3*/site-packages only what
// pip (not rpm) installed is kept. Only the small metadata files are read, at
// most kMaxEntriesPerDirectory per directory, and a larger directory is
// reported by a warning.
#ifndef ESTATE_AGENT_COLLECTORS_LANGUAGE_PACKAGES_COLLECTOR_H_
#define ESTATE_AGENT_COLLECTORS_LANGUAGE_PACKAGES_COLLECTOR_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "agent/collectors/collector.h"

namespace estate::agent {

inline constexpr size_t kMaxEntriesPerDirectory = 5000;

struct NameVersion {
  std::string name;
  std::string version;
};

// Core metadata (METADATA, PKG-INFO): the Name and Version headers.
std::optional<NameVersion> ParsePythonMetadata(std::string_view text);
// package.json: "name" and "version".
std::optional<NameVersion> ParsePackageJson(std::string_view text);
// A gemspec as rubygems writes it (s.name = "rake".freeze), else the file
// name "rake-13.0.6.gemspec".
std::optional<NameVersion> ParseGemspec(std::string_view text, std::string_view file_name);

// `max_entries`: per directory; smaller in tests.
std::unique_ptr<Collector> MakeLanguagePackagesCollector(
    size_t max_entries = kMaxEntriesPerDirectory);

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COLLECTORS_LANGUAGE_PACKAGES_COLLECTOR_H_
