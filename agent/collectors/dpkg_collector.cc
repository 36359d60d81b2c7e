#include "agent/collectors/dpkg_collector.h"

#include <sys/stat.h>

#include "agent/collectors/deb_origins.h"
#include "agent/mapped_file.h"
#include "estate/text.h"

namespace estate::agent {
namespace {

constexpr size_t kMaxReportedProblems = 20;

struct Stanza {
  size_t line = 0;  // 1-based line of its first field
  // Views into the status text, which outlives the parse.
  std::string_view package, status, version, architecture, maintainer, source, installed_size;
  std::string problem;
};

void Finish(Stanza& stanza, DpkgStatus* out) {
  if (stanza.line == 0) return;
  const std::string where = "dpkg status stanza at line " + std::to_string(stanza.line);
  if (stanza.problem.empty() && stanza.package.empty()) stanza.problem = "has no Package field";
  const bool files_present = stanza.status.find(" not-installed") == std::string::npos &&
                             stanza.status.find(" config-files") == std::string::npos;
  if (stanza.problem.empty() && stanza.status.empty()) {
    stanza.problem = "package '" + std::string(stanza.package) + "' has no Status";
  }
  if (stanza.problem.empty() && stanza.version.empty() && files_present) {
    stanza.problem = "package '" + std::string(stanza.package) + "' has no Version";
  }
  if (!stanza.problem.empty()) {
    out->problems.push_back(where + " " + stanza.problem + "; skipped");
    return;
  }
  // "want flag state": only the state "installed" means the files are there.
  auto words = Split(stanza.status, ' ');
  if (words.size() != 3 || words[2] != "installed") return;
  v1::Package package;
  package.set_name(std::string(stanza.package));
  package.set_version(std::string(stanza.version));
  package.set_architecture(std::string(stanza.architecture));
  package.set_source("deb");
  package.set_publisher(SanitizeUtf8(stanza.maintainer));
  if (auto kib = ParseUint(stanza.installed_size)) package.set_size_bytes(*kib * 1024);
  // "Source: name (version)" when the source version differs.
  std::string_view source = Trim(stanza.source);
  source = source.substr(0, source.find(' '));
  package.set_source_package(std::string(source.empty() ? stanza.package : source));
  out->packages.push_back(std::move(package));
}

class DpkgCollector : public Collector {
 public:
  std::string_view Name() const override { return "dpkg"; }

  void Collect(const CollectContext& context, v1::HostFacts* facts) const override {
    const HostRoot& root = context.root;
    constexpr std::string_view kStatus = "/var/lib/dpkg/status";
    auto text = MappedFile::Open(root.Path(kStatus));
    if (!text.ok()) {
      // No dpkg database is normal on non-Debian systems.
      if (!text.status().IsNotFound()) AddWarning(facts, Name(), text.status());
      return;
    }
    DpkgStatus status = ParseDpkgStatus(text->data());
    for (size_t i = 0; i < status.problems.size() && i < kMaxReportedProblems; ++i) {
      AddWarning(facts, Name(), status.problems[i]);
    }
    if (status.problems.size() > kMaxReportedProblems) {
      AddWarning(facts, Name(),
                 std::to_string(status.problems.size() - kMaxReportedProblems) +
                     " more malformed stanzas");
    }
    std::vector<std::string> origin_problems;
    ResolveDebOrigins(root, context.cache_dir, &status.packages, &origin_problems);
    for (const auto& problem : origin_problems) AddWarning(facts, Name(), problem);
    const std::string info = root.Path("/var/lib/dpkg/info/");
    for (auto& package : status.packages) {
      struct stat st;
      std::string list = info + package.name() + ":" + package.architecture() + ".list";
      if (::stat(list.c_str(), &st) != 0) {
        list = info + package.name() + ".list";
        if (::stat(list.c_str(), &st) != 0) st.st_mtime = 0;
      }
      package.set_install_time(st.st_mtime);
      *facts->add_software() = std::move(package);
    }
  }
};

}  // namespace

DpkgStatus ParseDpkgStatus(std::string_view text) {
  DpkgStatus out;
  Stanza stanza;
  bool in_field = false;  // a continuation line needs a field before it
  size_t line_number = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    // One line at a time, without materialising a vector of them (the status
    // file of a desktop is megabytes).
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (Trim(line).empty()) {
      Finish(stanza, &out);
      stanza = Stanza();
      in_field = false;
      continue;
    }
    if (stanza.line == 0) stanza.line = line_number;
    if (line.front() == ' ' || line.front() == '\t') {
      // Continuation of a multi-line field (Description, Conffiles); none is kept.
      if (!in_field && stanza.problem.empty()) {
        stanza.problem =
            "has a continuation line without a field (line " + std::to_string(line_number) + ")";
      }
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      if (stanza.problem.empty()) {
        stanza.problem =
            "has a line that is not 'Field: value' (line " + std::to_string(line_number) + ")";
      }
      in_field = false;
      continue;
    }
    in_field = true;
    std::string_view key = line.substr(0, colon);
    std::string_view value = Trim(line.substr(colon + 1));
    if (key == "Package") {
      stanza.package = value;
    } else if (key == "Status") {
      stanza.status = value;
    } else if (key == "Version") {
      stanza.version = value;
    } else if (key == "Architecture") {
      stanza.architecture = value;
    } else if (key == "Maintainer") {
      stanza.maintainer = value;
    } else if (key == "Source") {
      stanza.source = value;
    } else if (key == "Installed-Size") {
      stanza.installed_size = value;
    }
  }
  Finish(stanza, &out);
  return out;
}

std::unique_ptr<Collector> MakeDpkgCollector() { return std::make_unique<DpkgCollector>(); }

}  // namespace estate::agent
