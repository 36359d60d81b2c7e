// estatectl: the admin's command line for a running estated, over its Unix socket.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "collector/admin/command_spec.h"
#include "collector/estatectl/admin_client.h"
#include "collector/estatectl/command_line.h"
#include "collector/estatectl/dashboard.h"
#include "collector/estatectl/export_output.h"
#include "collector/estatectl/html_report_source.h"
#include "collector/estatectl/import_source.h"
#include "collector/estatectl/list_columns.h"
#include "collector/estatectl/pki.h"
#include "collector/estatectl/render.h"
#include "collector/estated_options.h"
#include "estate/text.h"

namespace {

using namespace estate;
using namespace estate::collector;

// sysexits.h EX_NOPERM: the caller's role (or the socket's group) does not
// allow the command, so scripts can tell a refusal from a failure.
constexpr int kExitDenied = 77;

// Prints why the call failed; the exit status for it.
int Failed(const Result<v1::AdminResponse>& response) {
  const bool denied = response.ok() ? response->denied()
                                    : response.status().code() == Status::Code::kPermissionDenied;
  // Errors quote what was asked for and what the store holds: made safe like results.
  std::fprintf(
      stderr, "estatectl: %s\n",
      TerminalSafe(response.ok() ? response->error() : response.status().message()).c_str());
  return denied ? kExitDenied : 1;
}

std::string DefaultSocket() {
  const std::string local = std::string(kDefaultDataDir) + "/" + kAdminSocketName;
  if (::access(local.c_str(), F_OK) == 0) return local;
  return "/run/estate/admin.sock";
}

// Streams new events as JSON lines until interrupted: asks for events after
// the last one seen, once a second. Starts at --since, else at the log's end.
int FollowEvents(const std::string& socket_path, v1::AdminRequest request) {
  const bool from_now = !request.options().count("since");
  uint64_t since = 0;
  if (from_now) {
    v1::AdminRequest end = request;
    (*end.mutable_options())["end"] = "true";
    auto response = CallAdmin(socket_path, end);
    if (!response.ok() || !response->ok()) return Failed(response);
    auto j = nlohmann::json::parse(response->json(), nullptr, false);
    if (j.is_discarded()) return 1;
    since = j.value("last_seq", uint64_t{0});
  } else {
    auto parsed = ParseUint(request.options().at("since"));
    if (!parsed) {
      std::fputs("estatectl: --since needs an event sequence number\n", stderr);
      return 2;
    }
    since = *parsed;
  }
  for (;;) {
    (*request.mutable_options())["since"] = std::to_string(since);
    auto response = CallAdmin(socket_path, request);
    if (!response.ok() || !response->ok()) return Failed(response);
    auto j = nlohmann::json::parse(response->json(), nullptr, false);
    if (j.is_discarded()) return 1;
    for (const auto& event : j.value("events", nlohmann::json::array())) {
      std::printf("%s\n", event.dump().c_str());
    }
    std::fflush(stdout);
    const uint64_t last = j.value("last_seq", since);
    if (last == since) ::sleep(1);
    since = last;
  }
}

// The chosen columns of a list as a table.
Result<std::string> RenderColumns(const std::string& command, const nlohmann::json& result,
                                  const std::string& selection) {
  auto view = ListOf(command, result);
  if (!view.ok()) return view.status();
  auto columns = SelectColumns(*view, selection);
  if (!columns.ok()) return columns.status();
  std::vector<std::string> header;
  for (const auto& c : *columns) header.push_back(c.name);
  std::vector<std::vector<std::string>> rows;
  for (const auto& row : *view->rows) {
    rows.emplace_back();
    for (const auto& c : *columns) rows.back().push_back(c.value(row));
  }
  return RenderTable(header, rows);
}

int ServeDashboard(const std::string& socket_path,
                   const std::vector<std::pair<std::string, std::string>>& options_given) {
  const std::map<std::string, std::string> given(options_given.begin(), options_given.end());
  DashboardOptions options;
  options.socket_path = socket_path;
  options.report.set_command("report");
  auto listen = given.find("listen");
  if (listen == given.end()) {
    std::fputs("estatectl: dashboard needs --listen ADDR:PORT (e.g. 127.0.0.1:8080)\n", stderr);
    return 2;
  }
  options.listen = listen->second;
  if (auto refresh = given.find("refresh"); refresh != given.end()) {
    options.refresh_seconds = std::atoi(refresh->second.c_str());
    if (options.refresh_seconds < 1 || options.refresh_seconds > 86400) {
      std::fputs("estatectl: --refresh: seconds from 1 to 86400\n", stderr);
      return 2;
    }
  }
  const Status served = RunDashboard(options);
  std::fprintf(stderr, "estatectl: %s\n", served.message().c_str());
  return served.code() == Status::Code::kInvalidArgument ? 2 : 1;
}

// `report --html FILE`: the page drawn here from read-only commands' answers,
// written beside FILE and renamed over it, so a reader never sees half a page.
int WriteHtmlReport(const std::string& socket_path, v1::AdminRequest request) {
  const std::string path = request.options().at("html");
  request.mutable_options()->erase("html");
  auto data = GatherHtmlReport(socket_path, request);
  if (!data.ok()) {
    std::fprintf(stderr, "estatectl: %s\n", TerminalSafe(data.status().message()).c_str());
    return data.status().code() == Status::Code::kPermissionDenied ? kExitDenied : 1;
  }
  const std::string page = RenderHtmlReport(*data);
  const std::string temporary = path + ".tmp";
  std::FILE* f = std::fopen(temporary.c_str(), "wb");
  bool written = f != nullptr;
  if (written) {
    written = std::fwrite(page.data(), 1, page.size(), f) == page.size();
    written = std::fclose(f) == 0 && written;
  }
  std::error_code ec;
  if (!written) {
    std::fprintf(stderr, "estatectl: cannot write %s\n", temporary.c_str());
    std::filesystem::remove(temporary, ec);
    return 1;
  }
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::fprintf(stderr, "estatectl: %s: %s\n", path.c_str(), ec.message().c_str());
    return 1;
  }
  std::fprintf(stderr, "estatectl: wrote %s (%zu bytes, %zu assets)\n", path.c_str(), page.size(),
               data->assets.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> argv_list(argv + 1, argv + argc);
  const std::vector<CommandSpec> specs = AllCommandSpecs();
  auto parsed = ParseCommandLine(specs, argv_list);
  if (!parsed.ok()) {
    std::fprintf(stderr, "estatectl: %s\n", parsed.status().message().c_str());
    return 2;
  }
  const CommandSpec* spec = nullptr;
  for (const auto& s : specs) {
    if (s.name == parsed->command) spec = &s;
  }
  if (parsed->help) {
    std::fputs(spec ? FormatCommandHelp(*spec).c_str() : GeneralUsage(specs).c_str(), stdout);
    return 0;
  }
  if (spec == nullptr) {
    std::fputs(GeneralUsage(specs).c_str(), stderr);
    return 2;
  }
  // pki runs here, on files: it needs no collector.
  if (spec->name == "pki") {
    std::vector<std::string> pki_args = parsed->args;
    for (const auto& [name, value] : parsed->options) {
      pki_args.push_back("--" + name);
      pki_args.push_back(value);
    }
    return RunPkiCommand(pki_args);
  }
  if (spec->name == "completion") {
    std::fputs(FormatBashCompletion(specs).c_str(), stdout);
    return 0;
  }
  const bool json = parsed->globals.count("json") > 0;
  const std::string socket_path =
      parsed->globals.count("socket") ? parsed->globals.at("socket") : DefaultSocket();
  // The dashboard runs here too: a small HTTP server drawing the report per request.
  if (spec->name == "dashboard") return ServeDashboard(socket_path, parsed->options);
  bool csv = false;
  std::string columns;
  std::string output_dir;
  v1::AdminRequest request;
  request.set_command(parsed->command);
  for (const auto& arg : parsed->args) request.add_args(arg);
  for (const auto& [name, value] : parsed->options) {
    // Output options are estatectl's own: the collector sends the whole record.
    if (name == "csv") {
      csv = true;
    } else if (name == "columns") {
      columns = value;
    } else if (name == "output-dir" && parsed->command == "export") {
      output_dir = value;  // estatectl writes the files: the collector sends the documents
    } else if (auto& joined = (*request.mutable_options())[name]; joined.empty()) {
      joined = value;
    } else {
      joined += "\n" + value;  // a repeatable option (the table allows it)
    }
  }
  // The collector runs in another directory: a relative path is the caller's.
  if (request.command() == "backup" && request.args_size() == 1) {
    std::error_code ec;
    const auto absolute = std::filesystem::absolute(request.args(0), ec);
    if (ec) {
      std::fprintf(stderr, "estatectl: %s: %s\n", request.args(0).c_str(), ec.message().c_str());
      return 2;
    }
    request.set_args(0, absolute.lexically_normal().string());
  }
  // An import's file is the caller's too: read here, its text sent.
  if (request.command() == "person" && request.args_size() >= 1 && request.args(0) == "import") {
    const bool getent = request.options().count("getent") > 0;
    if (request.args_size() == 1 && !getent) {
      std::fputs("estatectl: person import needs FILE.csv, or --getent\n", stderr);
      return 2;
    }
    auto text = request.args_size() == 2 ? ReadImportFile(request.args(1)) : RunGetentPasswd();
    if (!text.ok()) {
      std::fprintf(stderr, "estatectl: %s\n", text.status().message().c_str());
      return text.status().code() == Status::Code::kInvalidArgument ? 2 : 1;
    }
    if (request.args_size() == 2) {
      request.set_args(1, std::move(*text));
    } else {
      request.add_args(std::move(*text));
    }
  }
  if (!output_dir.empty() && request.options().count("format") &&
      request.options().at("format") != "glpi") {
    std::fputs(
        "estatectl: export --output-dir is for --format glpi; csv is one file, on "
        "standard output\n",
        stderr);
    return 2;
  }
  if (json && !output_dir.empty()) {
    std::fputs("estatectl: export --output-dir writes files, --json prints the answer: not both\n",
               stderr);
    return 2;
  }
  if (request.command() == "report" && request.options().count("html")) {
    return WriteHtmlReport(socket_path, request);
  }
  // An audit's codes: CODE, --file (a CSV, read here like an import), or what
  // a USB barcode scanner types on standard input, one code a line, to EOF.
  if (request.command() == "audit" && request.args_size() >= 2 && request.args(0) == "confirm") {
    const bool from_file = request.options().count("file") > 0;
    if (from_file && request.args_size() == 3) {
      std::fputs("estatectl: audit confirm takes CODE or --file, not both\n", stderr);
      return 2;
    }
    if (request.args_size() == 2) {
      if (!from_file && ::isatty(STDIN_FILENO)) {
        std::fputs("Scan or type asset tags or serials, one a line; Ctrl-D to finish.\n", stderr);
      }
      auto text = from_file ? ReadImportFile(request.options().at("file")) : ReadStandardInput();
      if (!text.ok()) {
        std::fprintf(stderr, "estatectl: %s\n", text.status().message().c_str());
        return 2;
      }
      request.add_args(std::move(*text));
    }
  }
  if (request.command() == "import") {
    auto data = ReadRegisterFile(request.args(0));
    if (!data.ok()) {
      std::fprintf(stderr, "estatectl: %s\n", data.status().message().c_str());
      return 2;
    }
    request.set_attachment(std::move(*data));
  }
  // A password is read here, never taken from the command line (ps, history).
  if (request.command() == "inventory-user" && request.options().count("password-stdin")) {
    auto password = ReadSecretLine(stdin);
    if (!password.ok()) {
      std::fprintf(stderr, "estatectl: %s\n", password.status().message().c_str());
      return 2;
    }
    request.set_secret(std::move(*password));
  }
  if (request.command() == "events" && request.options().count("follow")) {
    request.mutable_options()->erase("follow");
    return FollowEvents(socket_path, request);
  }

  auto response = CallAdmin(socket_path, request);
  if (!response.ok() || !response->ok()) return Failed(response);
  nlohmann::json result = nlohmann::json::parse(response->json(), nullptr, false);
  if (result.is_discarded()) {
    std::fputs("estatectl: the collector sent an unreadable result\n", stderr);
    return 1;
  }
  if (request.command() == "export" && !json && result.contains("inventories")) {
    auto written = WriteExport(result, request.options().count("all") > 0, output_dir);
    if (!written.ok()) {
      std::fprintf(stderr, "estatectl: %s\n", written.status().message().c_str());
      return 1;
    }
    std::fputs(written->out.c_str(), stdout);
    std::fputs(TerminalSafe(written->notes).c_str(), stderr);
    return 0;
  }
  if (json) {
    std::printf("%s\n", result.dump(2).c_str());
  } else if (request.command() == "export" && result.contains("text")) {
    std::fputs(result.at("text").get<std::string>().c_str(), stdout);  // the file itself
  } else if (csv) {
    auto out = RenderCsv(request.command(), result, columns);
    if (!out.ok()) {
      std::fprintf(stderr, "estatectl: %s\n", out.status().message().c_str());
      return 2;
    }
    std::fputs(out->c_str(), stdout);
  } else if (!columns.empty()) {
    auto out = RenderColumns(request.command(), result, columns);
    if (!out.ok()) {
      std::fprintf(stderr, "estatectl: %s\n", out.status().message().c_str());
      return 2;
    }
    std::fputs(out->c_str(), stdout);
  } else {
    std::fputs(RenderForHumans(request.command(), result).c_str(), stdout);
  }
  return 0;
}
