// What the HTML report tests look at: the page as headless Chromium loads it
// (its DOM, its console, a screenshot) and the marks and anchors in markup.
#ifndef ESTATE_TESTS_COLLECTOR_ESTATECTL_HTML_REPORT_CHECKS_H_
#define ESTATE_TESTS_COLLECTOR_ESTATECTL_HTML_REPORT_CHECKS_H_

#include <cstddef>
#include <string>
#include <vector>

namespace estate::testing {

// chromium-headless-shell (or chromium) on PATH; empty when neither is.
std::string ChromiumPath();

struct ChromiumView {
  bool ok = false;
  std::string error;
  size_t png_bytes = 0;              // the screenshot's size
  std::vector<std::string> console;  // console lines: script errors, blocked loads (CSP)
  std::string dom;                   // the DOM after load (--dump-dom)
  std::vector<std::string> svgs;     // each <svg>...</svg> of `dom`, in order
};

// Loads file://`html` once: a 1000-pixel-wide screenshot into `png`, and its DOM.
ChromiumView RenderInChromium(const std::string& chromium, const std::string& html,
                              const std::string& png);

// Occurrences of `<` + `element_and_class` (e.g. `rect class="mark"`) in `markup`.
size_t CountMarks(const std::string& markup, const std::string& element_and_class);

// Every href="#x" of `markup` with no id="x": empty when all resolve.
std::vector<std::string> UnresolvedLinks(const std::string& markup);

}  // namespace estate::testing

#endif  // ESTATE_TESTS_COLLECTOR_ESTATECTL_HTML_REPORT_CHECKS_H_
