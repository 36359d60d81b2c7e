// Human-readable renderings of admin command results (tables, sections).
// Machines use --json, which prints the result as it came. Every string a
// human rendering prints went through TerminalSafe first: results carry what
// agents and scanners reported, and a terminal must never receive their
// control characters (ESC and OSC sequences, BEL, C1 controls).
#ifndef ESTATE_COLLECTOR_ESTATECTL_RENDER_H_
#define ESTATE_COLLECTOR_ESTATECTL_RENDER_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace estate::collector {

// Renders the result of `command` for a terminal: every string and key of
// `result` made TerminalSafe first, whatever the command.
std::string RenderForHumans(const std::string& command, const nlohmann::json& result);

// `text` with nothing a terminal would act on: C0 controls, DEL and the C1
// controls (U+0080-U+009F) shown as escapes ("\x1b", "\n", "\u009b"), the
// bidirectional overrides and isolates ("\u202e") too, so that a report
// cannot reorder what is printed around it; bytes that are not UTF-8 become
// U+FFFD. Everything else, other scripts included, is kept as it is.
std::string TerminalSafe(std::string_view text);

// Columns padded to their widest cell.
std::string RenderTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows);

// Unix epoch seconds as ISO 8601 UTC, "2026-11-23T14:05:09Z" (FormatIsoUtc),
// and "-" for 0, which a table shows for "no time".
std::string FormatHumanTime(int64_t epoch_seconds);
std::string FormatBytes(uint64_t bytes);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ESTATECTL_RENDER_H_
