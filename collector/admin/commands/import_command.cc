// estatectl import FILE.csv: an existing asset register (a spreadsheet, a
// Snipe-IT, GLPI or OCS export) brought into the store. estatectl reads the
// file with the caller's permissions and sends it compressed (the request's
// attachment); the import is one admin change, all or nothing
// (docs/import.md).
#include <algorithm>
#include <map>
#include <set>

#include "collector/admin/admin_args.h"
#include "collector/admin/asset_lookup.h"
#include "collector/admin/attribute_schema.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/admin/csv_format.h"
#include "collector/admin/register_import.h"
#include "collector/admin/register_importer.h"
#include "collector/admin/text_encoding.h"
#include "collector/inventory/body_codec.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

// Refusals listed in an error before "and N more".
constexpr size_t kListedRefusals = 50;

class ImportCommand : public AdminCommand {
 public:
  std::string Name() const override { return "import"; }
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "import",
        "Lifecycle and custody",
        {{"", "FILE.csv",
          "bring an asset register in (a spreadsheet, Snipe-IT, GLPI or OCS export): creates "
          "or updates assets matched by asset id, tag, serial, MAC or host name; all or nothing",
          std::vector<OptionSpec>{
              {"map",
               ValueKind::kText,
               "COLUMN=FIELD",
               "read COLUMN as FIELD (asset_tag, serial, hostname, class, state, vendor, model, "
               "location, department, owner, purchase_date, cost, warranty_end, macs, notes, "
               "asset_id, x-NAME)",
               {},
               /*repeatable=*/true},
              {"ignore-column",
               ValueKind::kText,
               "COLUMN",
               "leave COLUMN out (a column no field is known for is an error otherwise)",
               {},
               /*repeatable=*/true},
              {"class", ValueKind::kText, "CLASS", "the class of rows that name none"},
              {"encoding", ValueKind::kChoice, "ENCODING",
               "the file's encoding (default utf-8; cp1252: a Windows spreadsheet's CSV)",
               TextEncodingChoices()},
              {"dry-run", ValueKind::kSwitch, "",
               "show what each line would do (create, update, unchanged, conflict, error); "
               "change nothing"},
              {"skip-bad", ValueKind::kSwitch, "",
               "import the good rows and list the refused ones, instead of refusing the file"}},
          1, 1}},
        /*list=*/true};
    return *spec;
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kAdmin; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    if (request.args_size() != 1) return Status::InvalidArgument("usage: import FILE.csv");
    const std::string file = request.args(0);
    if (request.attachment().empty()) {
      return Status::InvalidArgument(
          "import needs the file's contents (estatectl import FILE "
          "reads and sends them)");
    }
    BodyEncoding wrapped = BodyEncoding::kPlain;
    auto raw = DecodeBody(request.attachment(), kMaxImportFileBytes, &wrapped);
    if (!raw.ok()) {
      return Status::InvalidArgument(file + ": " + raw.status().message() + " (an import takes " +
                                     std::to_string(kMaxImportFileBytes >> 20) + " MiB at most)");
    }
    const TextEncoding encoding = OptionOr(request, "encoding", "utf-8") == "cp1252"
                                      ? TextEncoding::kCp1252
                                      : TextEncoding::kUtf8;
    auto text = DecodeText(*raw, encoding);
    if (!text.ok()) return text.status().WithContext(file);
    raw->clear();
    raw->shrink_to_fit();
    auto overrides =
        ParseColumnOverrides(OptionOr(request, "map", ""), OptionOr(request, "ignore-column", ""));
    if (!overrides.ok()) return overrides.status();
    auto classes = KnownClasses(context.store);
    if (!classes.ok()) return classes.status();
    ImportOptions options;
    options.file = file;
    if (auto cls = Option(request, "class")) {
      auto known = NormalizeImportClass(*cls, *classes);
      if (!known.ok()) return Status::InvalidArgument("--class: " + known.status().message());
      options.default_class = *known;
    }
    const bool dry_run = Option(request, "dry-run").has_value();
    const bool skip_bad = Option(request, "skip-bad").has_value();

    // Parse and check every row before anything is written.
    CsvReader reader(*text);
    CsvRecord record;
    auto more = reader.Next(&record);
    if (!more.ok()) return more.status().WithContext(file);
    if (!*more) return Status::InvalidArgument(file + ": the file is empty");
    auto columns = MapColumns(record.fields, *overrides);
    if (!columns.ok()) return columns.status().WithContext(file);
    std::vector<ImportRow> rows;
    std::vector<ImportOutcome> refused;  // rows refused before matching
    std::map<std::string, size_t> tag_lines, serial_lines, id_lines;
    uint64_t blank = 0;
    for (;;) {
      more = reader.Next(&record);
      // A broken quote leaves every later row in doubt: the file is refused.
      if (!more.ok()) return more.status().WithContext(file);
      if (!*more) break;
      auto row = ParseImportRow(record, *columns, *classes);
      if (!row.ok()) {
        refused.push_back(Refusal(record.line, row.status().message()));
        continue;
      }
      if (row->values.empty()) {
        ++blank;
        continue;
      }
      // One tag or serial on two lines: the register contradicts itself.
      std::string duplicate;
      for (auto [field, lines] :
           {std::pair{"asset_tag", &tag_lines}, std::pair{"serial", &serial_lines},
            std::pair{"asset_id", &id_lines}}) {
        const std::string value = row->Get(field);
        if (value.empty()) continue;
        auto [it, fresh] = lines->emplace(ToLower(value), row->line);
        if (!fresh && duplicate.empty()) {
          duplicate = std::string(field) + ": '" + value + "' is on line " +
                      std::to_string(it->second) + " too (" + field + "s are unique in any case)";
        }
      }
      if (!duplicate.empty()) {
        refused.push_back(
            Refusal(row->line, "line " + std::to_string(row->line) + ": " + duplicate));
        continue;
      }
      rows.push_back(std::move(*row));
    }
    text->clear();
    text->shrink_to_fit();

    // Locations are matched against the spellings assets hold now.
    std::set<std::string> location_set;
    ESTATE_RETURN_IF_ERROR(ScanLiveAssets(context.store, [&](const v1::Asset& a) {
      auto it = a.attributes().find("location");
      if (it != a.attributes().end() && !it->second.empty()) location_set.insert(it->second);
      return true;
    }));
    const std::vector<std::string> locations(location_set.begin(), location_set.end());

    // A dry run writes as the import would, so each line sees the ones before
    // it, then takes it all back; so does a refused import (the writer would
    // too) and one that changes nothing.
    auto apply = [&](ReconcileContext& ctx, bool* keep) -> Result<nlohmann::json> {
      RegisterImporter importer(ctx, options, locations);
      ESTATE_RETURN_IF_ERROR(importer.Start());
      std::vector<ImportOutcome> outcomes;
      outcomes.reserve(rows.size() + refused.size());
      for (const auto& row : rows) {
        auto outcome = importer.Import(row);
        if (!outcome.ok()) return outcome.status();
        outcomes.push_back(std::move(*outcome));
      }
      for (auto& r : refused) outcomes.push_back(std::move(r));
      std::sort(outcomes.begin(), outcomes.end(),
                [](const ImportOutcome& a, const ImportOutcome& b) { return a.line < b.line; });
      std::map<std::string, uint64_t> counts;
      std::vector<const ImportOutcome*> bad;
      for (const auto& o : outcomes) {
        ++counts[ActionName(o.action)];
        if (o.action == ImportOutcome::Action::kConflict ||
            o.action == ImportOutcome::Action::kError) {
          bad.push_back(&o);
        }
      }
      if (!bad.empty() && !skip_bad && !dry_run) {
        std::string why = file +
                          ": not imported, nothing was changed: " + std::to_string(bad.size()) +
                          " of " + std::to_string(outcomes.size()) +
                          " rows refused (correct them, or --skip-bad to import the rest):";
        for (size_t i = 0; i < bad.size() && i < kListedRefusals; ++i) {
          why += "\n  " + Describe(*bad[i]);
        }
        if (bad.size() > kListedRefusals) {
          why += "\n  and " + std::to_string(bad.size() - kListedRefusals) +
                 " more (--dry-run --json lists them all)";
        }
        return Status::InvalidArgument(why);
      }
      const uint64_t changed = counts["create"] + counts["update"];
      *keep = !dry_run && changed > 0;  // a second import writes nothing
      if (*keep) {
        v1::Event event;
        event.set_kind("imported");
        event.set_severity("info");
        event.set_source(ctx.actor);
        event.set_summary(ctx.actor + " imported " + file + ": " +
                          std::to_string(counts["create"]) + " created, " +
                          std::to_string(counts["update"]) + " updated, " +
                          std::to_string(counts["unchanged"]) + " unchanged, " +
                          std::to_string(bad.size()) + " skipped");
        ctx.events.Raise(ctx.batch, nullptr, ctx.now_micros, std::move(event));
      }
      nlohmann::json lines = nlohmann::json::array();
      for (const auto& o : outcomes) {
        // A real import lists what needs reading; a dry run every line.
        if (!dry_run &&
            (o.action == ImportOutcome::Action::kCreate ||
             o.action == ImportOutcome::Action::kUnchanged) &&
            o.kept.empty()) {
          continue;
        }
        lines.push_back(LineJson(o));
      }
      return nlohmann::json{{"file", file},
                            {"dry_run", dry_run},
                            {"applied", !dry_run && changed > 0},
                            {"rows", outcomes.size()},
                            {"blank_rows", blank},
                            {"created", counts["create"]},
                            {"updated", counts["update"]},
                            {"unchanged", counts["unchanged"]},
                            {"conflicts", counts["conflict"]},
                            {"errors", counts["error"]},
                            {"skipped", dry_run ? size_t{0} : bad.size()},
                            {"columns", columns->described},
                            {"ignored_columns", columns->ignored},
                            {"people_created", importer.people_created()},
                            {"people_matched", importer.people_matched()},
                            {"locations_created", importer.locations_created()},
                            {"locations_matched", importer.locations_matched()},
                            {"lines", std::move(lines)}};
    };
    return context.ingestor.Mutate(context.caller.Actor(),
                                   [&](ReconcileContext& ctx) -> Result<nlohmann::json> {
                                     ctx.batch.SetSavePoint();
                                     bool keep = false;
                                     auto result = apply(ctx, &keep);
                                     if (!result.ok() || !keep) ctx.batch.RollbackToSavePoint();
                                     return result;
                                   });
  }

 private:
  static ImportOutcome Refusal(size_t line, std::string reason) {
    ImportOutcome o;
    o.action = ImportOutcome::Action::kError;
    o.line = line;
    // The parsers name the line themselves; the outcome carries it apart.
    const std::string prefix = "line " + std::to_string(line) + ": ";
    if (StartsWith(reason, prefix)) reason.erase(0, prefix.size());
    o.reason = std::move(reason);
    return o;
  }

  static std::string Describe(const ImportOutcome& o) {
    return "line " + std::to_string(o.line) + ": " + ActionName(o.action) + ": " +
           (o.asset_id.empty() ? "" : o.asset_id + ": ") + o.reason;
  }

  static nlohmann::json LineJson(const ImportOutcome& o) {
    nlohmann::json changes = nlohmann::json::array();
    for (const auto& c : o.changes) {
      changes.push_back({{"field", c.field()}, {"before", c.before()}, {"after", c.after()}});
    }
    return {{"line", o.line},     {"action", ActionName(o.action)}, {"asset_id", o.asset_id},
            {"reason", o.reason}, {"changes", std::move(changes)},  {"kept", o.kept}};
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeImportCommand() { return std::make_unique<ImportCommand>(); }

}  // namespace estate::collector
