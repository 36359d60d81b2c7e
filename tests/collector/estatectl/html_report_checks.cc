#include "tests/collector/estatectl/html_report_checks.h"

#include <unistd.h>

#include <filesystem>
#include <set>
#include <sstream>

#include "tests/support/subprocess.h"

namespace estate::testing {
namespace {

// The values of `attribute="..."` in `markup`.
std::vector<std::string> Values(const std::string& markup, const std::string& attribute) {
  std::vector<std::string> out;
  const std::string needle = " " + attribute + "=\"";
  for (size_t at = markup.find(needle); at != std::string::npos; at = markup.find(needle, at)) {
    at += needle.size();
    const size_t end = markup.find('"', at);
    if (end == std::string::npos) break;
    out.push_back(markup.substr(at, end - at));
  }
  return out;
}

}  // namespace

std::string ChromiumPath() {
  for (const char* name : {"chromium-headless-shell", "chromium"}) {
    for (const char* dir : {"/usr/bin/", "/usr/local/bin/"}) {
      const std::string path = std::string(dir) + name;
      if (::access(path.c_str(), X_OK) == 0) return path;
    }
  }
  return "";
}

ChromiumView RenderInChromium(const std::string& chromium, const std::string& html,
                              const std::string& png) {
  ChromiumView view;
  const std::string url = "file://" + html;
  // A profile of its own: nothing of the machine's, nothing left behind.
  const std::string profile = "--user-data-dir=" + html + ".profile";
  const std::vector<std::string> common = {chromium,        "--headless",
                                           "--disable-gpu", "--no-sandbox",
                                           profile,         "--enable-logging=stderr",
                                           "--v=0",         "--window-size=1000,1400"};
  // One load for both: the screenshot and the DOM after it.
  std::vector<std::string> argv = common;
  argv.insert(argv.end(), {"--screenshot=" + png, "--dump-dom", url});
  CommandResult d = RunCommand(argv, std::chrono::seconds(90));
  if (d.exit_code != 0) {
    view.error = "chromium failed: " + d.err;
    return view;
  }
  std::error_code ec;
  view.png_bytes = std::filesystem::exists(png, ec) ? std::filesystem::file_size(png, ec) : 0;
  // Chromium logs the page's console (errors, blocked loads) as ":CONSOLE" lines.
  std::istringstream lines(d.err);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(":CONSOLE") != std::string::npos) view.console.push_back(line);
  }
  view.dom = d.out;
  for (size_t at = view.dom.find("<svg"); at != std::string::npos;
       at = view.dom.find("<svg", at + 1)) {
    const size_t end = view.dom.find("</svg>", at);
    if (end == std::string::npos) break;
    view.svgs.push_back(view.dom.substr(at, end + 6 - at));
  }
  std::filesystem::remove_all(html + ".profile", ec);
  view.ok = true;
  return view;
}

size_t CountMarks(const std::string& markup, const std::string& element_and_class) {
  const std::string needle = "<" + element_and_class;
  size_t count = 0;
  for (size_t at = markup.find(needle); at != std::string::npos;
       at = markup.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

std::vector<std::string> UnresolvedLinks(const std::string& markup) {
  const auto ids = Values(markup, "id");
  const std::set<std::string> known(ids.begin(), ids.end());
  std::set<std::string> missing;
  for (const auto& href : Values(markup, "href")) {
    if (href.empty() || href[0] != '#' || !known.count(href.substr(1))) missing.insert(href);
  }
  return {missing.begin(), missing.end()};
}

}  // namespace estate::testing
