#include "collector/admin/csv_format.h"

#include "estate/text.h"

namespace estate::collector {
namespace {

std::string Line(size_t n) { return "line " + std::to_string(n) + ": "; }

}  // namespace

CsvReader::CsvReader(std::string_view text) : text_(text) {
  if (StartsWith(text_, "\xef\xbb\xbf")) text_.remove_prefix(3);
}

Result<bool> CsvReader::Next(CsvRecord* out) {
  for (;;) {
    if (pos_ >= text_.size()) return false;
    out->line = line_;
    out->fields.clear();
    std::string field;
    bool at_field_start = true;
    bool ended = false;
    while (pos_ < text_.size() && !ended) {
      const char c = text_[pos_];
      if (at_field_start && c == '"') {
        const size_t opened_at = line_;
        ++pos_;
        for (;;) {
          if (pos_ >= text_.size()) {
            return Status::InvalidArgument(Line(opened_at) + "a quoted field is not closed");
          }
          // Copy up to the next quote at once: fields may be long notes.
          const size_t quote = text_.find('"', pos_);
          const size_t end = quote == std::string_view::npos ? text_.size() : quote;
          for (size_t k = pos_; k < end; ++k) line_ += text_[k] == '\n';
          field.append(text_.substr(pos_, end - pos_));
          pos_ = end;
          if (pos_ >= text_.size()) continue;
          if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
            field += '"';
            pos_ += 2;
            continue;
          }
          ++pos_;
          break;
        }
        if (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' &&
            text_[pos_] != '\r') {
          return Status::InvalidArgument(Line(line_) + "text after a closing quote");
        }
        at_field_start = false;
        continue;
      }
      if (c == ',') {
        out->fields.push_back(std::move(field));
        field.clear();
        at_field_start = true;
        ++pos_;
      } else if (c == '\r' || c == '\n') {
        pos_ += (c == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ? 2 : 1;
        ++line_;
        ended = true;
      } else if (c == '"') {
        return Status::InvalidArgument(Line(line_) + "a quote inside an unquoted field");
      } else {
        field += c;
        at_field_start = false;
        ++pos_;
      }
    }
    out->fields.push_back(std::move(field));
    // A blank line is no record (a trailing newline, a gap in the file).
    if (out->fields.size() == 1 && out->fields[0].empty()) continue;
    return true;
  }
}

Result<std::vector<CsvRecord>> ParseCsvRecords(std::string_view text) {
  CsvReader reader(text);
  std::vector<CsvRecord> records;
  CsvRecord record;
  for (;;) {
    auto more = reader.Next(&record);
    if (!more.ok()) return more.status();
    if (!*more) return records;
    records.push_back(std::move(record));
  }
}

std::string CsvField(std::string_view value) {
  std::string cell(value);
  if (!cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string::npos) {
    cell.insert(0, 1, '\'');
  }
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace estate::collector
