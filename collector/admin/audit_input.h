// What people hand an audit: codes a USB barcode scanner types (one per
// line, each ended by Enter, maybe CR LF), or a CSV with a code column
// (code, tag, asset_tag or serial) and optionally a location column. Pure
// parsers over the text estatectl sends; thread-safe.
#ifndef ESTATE_COLLECTOR_ADMIN_AUDIT_INPUT_H_
#define ESTATE_COLLECTOR_ADMIN_AUDIT_INPUT_H_

#include <string>
#include <string_view>
#include <vector>

#include "estate/status.h"

namespace estate::collector {

struct ScannedCode {
  size_t line = 0;  // 1-based, in the text as given
  std::string code;
  std::string location;  // from a CSV column; empty: none given
};

// One code a line: surrounding white space and CR trimmed, blank lines
// skipped. A line with a control character (a scanner misconfigured to send
// a tab or a prefix) is refused naming its line number.
Result<std::vector<ScannedCode>> ParseScannedCodes(std::string_view text);

// A CSV with a header row naming a code column (code, tag, asset_tag,
// serial; any case) and optionally `location`. Quoted fields as RFC 4180.
// Errors name the line number; blank lines are skipped.
Result<std::vector<ScannedCode>> ParseConfirmationCsv(std::string_view text);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_AUDIT_INPUT_H_
