#include "collector/admin/audit_input.h"

#include "estate/text.h"

namespace estate::collector {
namespace {

constexpr size_t kMaxCodeBytes = 128;

Status CheckCode(std::string_view code, size_t line) {
  for (unsigned char c : code) {
    if (c < 0x20 || c == 0x7f) {
      return Status::InvalidArgument("line " + std::to_string(line) +
                                     ": a control character in the code (is the scanner set to "
                                     "send a prefix or a tab?)");
    }
  }
  if (code.size() > kMaxCodeBytes) {
    return Status::InvalidArgument("line " + std::to_string(line) + ": a code longer than " +
                                   std::to_string(kMaxCodeBytes) + " bytes");
  }
  return Status::Ok();
}

// One CSV record starting at `pos` (advanced past it); `line` counts
// newlines consumed, quoted ones included.
Result<std::vector<std::string>> NextRecord(std::string_view text, size_t& pos, size_t& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  const size_t start_line = line;
  while (pos < text.size()) {
    const char c = text[pos++];
    if (quoted) {
      if (c == '"') {
        if (pos < text.size() && text[pos] == '"') {
          fields.back() += '"';
          ++pos;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c == '\n') {
      ++line;
      break;
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  if (quoted) {
    return Status::InvalidArgument("line " + std::to_string(start_line) +
                                   ": a quoted field is not closed");
  }
  return fields;
}

}  // namespace

Result<std::vector<ScannedCode>> ParseScannedCodes(std::string_view text) {
  std::vector<ScannedCode> out;
  size_t line = 0;
  for (auto raw : Split(text, '\n')) {
    ++line;
    const std::string_view code = Trim(raw);
    if (code.empty()) continue;
    ESTATE_RETURN_IF_ERROR(CheckCode(code, line));
    out.push_back({line, std::string(code), ""});
  }
  return out;
}

Result<std::vector<ScannedCode>> ParseConfirmationCsv(std::string_view text) {
  if (StartsWith(text, "\xEF\xBB\xBF")) text.remove_prefix(3);  // a spreadsheet's BOM
  size_t pos = 0, line = 1;
  int code_column = -1, location_column = -1;
  std::vector<ScannedCode> out;
  while (pos < text.size()) {
    const size_t this_line = line;
    auto fields = NextRecord(text, pos, line);
    if (!fields.ok()) return fields.status();
    bool blank = true;
    for (auto& f : *fields) blank &= Trim(f).empty();
    if (blank) continue;
    if (code_column < 0) {
      for (size_t i = 0; i < fields->size(); ++i) {
        const std::string name = ToLower(Trim((*fields)[i]));
        if (code_column < 0 &&
            (name == "code" || name == "tag" || name == "asset_tag" || name == "serial")) {
          code_column = static_cast<int>(i);
        } else if (name == "location") {
          location_column = static_cast<int>(i);
        } else {
          return Status::InvalidArgument(
              "line " + std::to_string(this_line) + ": unknown column '" +
              SanitizeUtf8(Trim((*fields)[i])) +
              "' (a confirmation CSV has code, tag, asset_tag or serial, and location)");
        }
      }
      if (code_column < 0) {
        return Status::InvalidArgument("line " + std::to_string(this_line) +
                                       ": no code column (code, tag, asset_tag or serial)");
      }
      continue;
    }
    auto field = [&](int column) -> std::string {
      return column >= 0 && static_cast<size_t>(column) < fields->size()
                 ? std::string(Trim((*fields)[column]))
                 : "";
    };
    ScannedCode scanned{this_line, field(code_column), field(location_column)};
    if (scanned.code.empty()) {
      return Status::InvalidArgument("line " + std::to_string(this_line) + ": the code is empty");
    }
    ESTATE_RETURN_IF_ERROR(CheckCode(scanned.code, this_line));
    out.push_back(std::move(scanned));
  }
  if (code_column < 0) return Status::InvalidArgument("the CSV is empty: no header row");
  return out;
}

}  // namespace estate::collector
