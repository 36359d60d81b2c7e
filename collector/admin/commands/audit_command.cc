// estatectl audit list | start NAME [filters] | confirm NAME [CODE] |
// report NAME | close NAME: audits of the whole estate or a part of it
// (docs/audits.md). Start snapshots the assets the register expects in
// scope; discovery during the audit and people's confirmations (codes a
// barcode scanner types on estatectl's standard input, or a CSV) are the
// evidence; close records each asset's outcome in its history.
#include <algorithm>

#include "collector/admin/admin_args.h"
#include "collector/admin/asset_lookup.h"
#include "collector/admin/audit_input.h"
#include "collector/admin/audit_records.h"
#include "collector/admin/audit_report.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/admin/location_path.h"
#include "collector/reconcile/event_recorder.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

// Scope options are the record filters; installed software needs every
// host's package set and is no audit scope.
const std::vector<std::string> kNotScope = {"has-software"};

std::string ScopeText(const v1::Audit& audit) {
  std::string out;
  for (const auto& [name, value] : audit.scope()) {
    out += (out.empty() ? "--" : " --") + name + (value == "true" ? "" : " " + value);
  }
  return out.empty() ? "(whole estate)" : out;
}

nlohmann::json AuditJson(const v1::Audit& audit) {
  nlohmann::json counts = nlohmann::json::object();
  for (const auto& [k, v] : audit.outcome_counts()) counts[k] = v;
  return {{"name", audit.name()},
          {"state", audit.closed_at() ? "closed" : "open"},
          {"scope", ScopeText(audit)},
          {"expected", audit.expected_size()},
          {"started_at", FormatTime(audit.started_at())},
          {"started_by", audit.started_by()},
          {"closed_at", FormatTime(audit.closed_at())},
          {"closed_by", audit.closed_by()},
          {"outcome", std::move(counts)}};
}

Status ClosedError(const v1::Audit& audit) {
  return Status::FailedPrecondition("audit '" + audit.name() + "' was closed at " +
                                    FormatTime(audit.closed_at()) + " by " + audit.closed_by() +
                                    "; start a new audit");
}

class AuditCommand : public AdminCommand {
 public:
  std::string Name() const override { return "audit"; }
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "audit",
        "Inventory",
        {{"", "", "the audits, open and closed", std::vector<OptionSpec>{}, 0, 0},
         {"list", "list", "the audits, open and closed", std::vector<OptionSpec>{}, 1, 1},
         {"start", "start NAME [filters]",
          "snapshot the assets the register expects in scope (the assets filters)",
          AssetFilterOptions(kNotScope), 2, 2},
         {"confirm", "confirm NAME [CODE]",
          "confirm assets by tag or serial: CODE, or one a line on standard input (a barcode "
          "scanner), or --file",
          std::vector<OptionSpec>{
              {"location", ValueKind::kText, "PATH", "where the assets were found (HQ/B2/F3/R301)"},
              {"file", ValueKind::kText, "FILE.csv",
               "a CSV with a code (or tag, asset_tag, serial) column and optionally location"}},
          2, 3},
         {"report", "report NAME", "expected and found, missing, unexpected, shadow, moved",
          std::vector<OptionSpec>{
              {"status",
               ValueKind::kChoice,
               "STATUS",
               "only assets with this outcome",
               {audit_status::kFound, audit_status::kMoved, audit_status::kMissing,
                audit_status::kUnexpected, audit_status::kShadow}}},
          2, 2},
         {"close", "close NAME", "record each asset's outcome in its history and end the audit",
          std::vector<OptionSpec>{}, 2, 2}},
        /*list=*/true};
    return *spec;
  }

  // Reading is a viewer's, confirming a technician's, starting and closing an admin's.
  Role RequiredRole(const v1::AdminRequest& request) const override {
    const std::string form = request.args_size() ? request.args(0) : "list";
    if (form == "confirm") return Role::kTechnician;
    if (form == "start" || form == "close") return Role::kAdmin;
    return Role::kViewer;
  }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    const std::string form = request.args_size() ? request.args(0) : "list";
    if (form == "list") return List(context);
    auto name = CheckAuditName(request.args(1));
    if (!name.ok()) return name.status();
    if (form == "start") return Start(request, context, *name);
    if (form == "confirm") return Confirm(request, context, *name);
    if (form == "report") return Report(request, context, *name);
    if (form == "close") return Close(context, *name);
    return Status::InvalidArgument("usage: audit list|start|confirm|report|close");
  }

 private:
  Result<nlohmann::json> List(AdminContext& context) {
    auto audits = LoadAudits(context.store);
    if (!audits.ok()) return audits.status();
    nlohmann::json list = nlohmann::json::array();
    for (const auto& a : *audits) list.push_back(AuditJson(a));
    return nlohmann::json{{"audits", std::move(list)}};
  }

  Result<nlohmann::json> Start(const v1::AdminRequest& request, AdminContext& context,
                               const std::string& name) {
    auto exists = [&](ReadView& view) -> Status {
      auto before = GetRecord<v1::Audit>(view, Table::kSettings, AuditKey(name));
      if (!before.ok()) return before.status();
      if (!before->has_value()) return Status::Ok();
      return Status::AlreadyExists("audit '" + name + "' exists (started at " +
                                   FormatTime((*before)->started_at()) + " by " +
                                   (*before)->started_by() + "); choose another name");
    };
    ESTATE_RETURN_IF_ERROR(exists(context.store));
    const int64_t now = UnixNow();
    auto filter = AssetFilter::FromRequest(context.store, request, now, kNotScope);
    if (!filter.ok()) return filter.status();
    v1::Audit audit;
    audit.set_name(name);
    for (const auto& option : AssetFilterOptions(kNotScope)) {
      if (auto value = Option(request, option.name)) (*audit.mutable_scope())[option.name] = *value;
    }
    // Read off the writer: a snapshot of 100,000 records must not hold up reports.
    ESTATE_RETURN_IF_ERROR(ScanLiveAssets(context.store, [&](const v1::Asset& a) {
      if (filter->Matches(a)) audit.add_expected(a.id());
      return true;
    }));
    std::sort(audit.mutable_expected()->begin(), audit.mutable_expected()->end());
    return context.ingestor.Mutate(
        context.caller.Actor(), [&](ReconcileContext& ctx) -> Result<nlohmann::json> {
          ESTATE_RETURN_IF_ERROR(exists(ctx.batch));
          audit.set_started_at(ctx.now_s());
          audit.set_started_by(ctx.actor);
          PutRecord(ctx.batch, Table::kSettings, AuditKey(name), audit);
          v1::Event event;
          event.set_kind("audit_started");
          event.set_severity("info");
          event.set_source(ctx.actor);
          event.set_summary("audit " + name + " started: " + std::to_string(audit.expected_size()) +
                            " assets expected, scope " + ScopeText(audit));
          ctx.events.Raise(ctx.batch, nullptr, ctx.now_micros, std::move(event));
          return AuditJson(audit);
        });
  }

  Result<nlohmann::json> Confirm(const v1::AdminRequest& request, AdminContext& context,
                                 const std::string& name) {
    auto file = Option(request, "file");
    if (request.args_size() != 3) {
      return Status::InvalidArgument(
          "audit confirm needs codes: CODE, one a line on standard input, or --file FILE.csv");
    }
    auto codes = file ? ParseConfirmationCsv(request.args(2)) : ParseScannedCodes(request.args(2));
    if (!codes.ok()) {
      return Status::InvalidArgument((file ? *file + ": " : std::string("input: ")) +
                                     codes.status().message());
    }
    std::string where;
    if (auto location = Option(request, "location")) {
      auto path = NormalizeLocationPath(*location, "--location");
      if (!path.ok()) return path.status();
      where = *path;
    }
    for (auto& c : *codes) {
      if (c.location.empty()) continue;
      auto path =
          NormalizeLocationPath(c.location, "line " + std::to_string(c.line) + ": location");
      if (!path.ok())
        return Status::InvalidArgument((file ? *file + ": " : "") + path.status().message());
      c.location = *path;
    }
    return context.ingestor.Mutate(
        context.caller.Actor(), [&](ReconcileContext& ctx) -> Result<nlohmann::json> {
          auto audit = LoadAudit(ctx.batch, name);
          if (!audit.ok()) return audit.status();
          if (audit->closed_at()) return ClosedError(*audit);
          uint64_t confirmed = 0, repeated = 0;
          nlohmann::json unknown = nlohmann::json::array(), rows = nlohmann::json::array();
          for (const auto& c : *codes) {
            const std::string key = AuditConfirmationKey(name, c.code);
            auto before = ctx.batch.Get(Table::kSettings, key);
            if (!before.ok()) return before.status();
            // A tag first (unique), then a serial, any case.
            auto id = FindIdentityAnyCase(ctx.batch, identity::kAssetTag, c.code);
            if (id.ok() && !id->has_value()) {
              id = FindIdentityAnyCase(ctx.batch, identity::kSerial, c.code);
            }
            if (!id.ok()) return id.status();
            std::optional<v1::Asset> asset;
            if (id->has_value()) {
              auto record = GetRecord<v1::Asset>(ctx.batch, Table::kAssets, **id);
              if (!record.ok()) return record.status();
              // Merged records lead to the asset that absorbed them.
              for (int hops = 0; *record && !(*record)->merged_into().empty() && hops < 8; ++hops) {
                record = GetRecord<v1::Asset>(ctx.batch, Table::kAssets, (*record)->merged_into());
                if (!record.ok()) return record.status();
              }
              asset = std::move(*record);
            }
            v1::AuditConfirmation confirmation;
            confirmation.set_code(c.code);
            if (asset) confirmation.set_asset_id(asset->id());
            confirmation.set_by(ctx.actor);
            confirmation.set_at(ctx.now_s());
            confirmation.set_location(c.location.empty() ? where : c.location);
            PutRecord(ctx.batch, Table::kSettings, key, confirmation);
            std::string status = asset ? "confirmed" : "unknown";
            if (before->has_value()) {
              status = "repeated";
              ++repeated;
            } else if (asset) {
              ++confirmed;
            }
            if (!asset) unknown.push_back({{"line", c.line}, {"code", c.code}});
            rows.push_back({{"line", c.line},
                            {"code", c.code},
                            {"status", status},
                            {"asset_id", asset ? asset->id() : ""},
                            {"hostname", asset ? asset->hostname() : ""},
                            {"location", confirmation.location()}});
            if (!asset) continue;
            // A person saw it: evidence for the class's validation rule too.
            auto state =
                GetRecord<v1::AssetAudit>(ctx.batch, Table::kFindings, AssetAuditKey(asset->id()));
            if (!state.ok()) return state.status();
            v1::AssetAudit updated = state->value_or(v1::AssetAudit());
            updated.set_last_confirmed(ctx.now_s());
            PutRecord(ctx.batch, Table::kFindings, AssetAuditKey(asset->id()), updated);
            v1::AssetEvent entry;
            entry.set_kind("audit_confirmed");
            entry.set_source(ctx.actor);
            entry.set_severity("info");
            entry.set_summary(
                "confirmed in audit " + name + " as " + c.code +
                (confirmation.location().empty() ? "" : " at " + confirmation.location()));
            ctx.events.History(ctx.batch, *asset, ctx.now_micros, std::move(entry),
                               /*snapshot=*/false);
          }
          return nlohmann::json{{"audit", name},
                                {"confirmed", confirmed},
                                {"repeated", repeated},
                                {"unknown", std::move(unknown)},
                                {"confirmations", std::move(rows)}};
        });
  }

  Result<nlohmann::json> Report(const v1::AdminRequest& request, AdminContext& context,
                                const std::string& name) {
    auto audit = LoadAudit(context.store, name);
    if (!audit.ok()) return audit.status();
    auto report = BuildAuditReport(context.store, *audit, UnixNow());
    if (!report.ok()) return report.status();
    const std::string only = OptionOr(request, "status", "");
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& row : report->rows) {
      if (only.empty() || row.status == only) rows.push_back(AuditRowJson(row));
    }
    nlohmann::json counts = nlohmann::json::object();
    for (const auto& [k, v] : report->counts) counts[k] = v;
    return nlohmann::json{{"audit", AuditJson(*audit)},
                          {"expected", report->expected},
                          {"counts", std::move(counts)},
                          {"assets", std::move(rows)}};
  }

  Result<nlohmann::json> Close(AdminContext& context, const std::string& name) {
    auto audit = LoadAudit(context.store, name);
    if (!audit.ok()) return audit.status();
    if (audit->closed_at()) return ClosedError(*audit);
    auto report = BuildAuditReport(context.store, *audit, UnixNow());
    if (!report.ok()) return report.status();
    return context.ingestor.Mutate(
        context.caller.Actor(), [&](ReconcileContext& ctx) -> Result<nlohmann::json> {
          auto current = LoadAudit(ctx.batch, name);
          if (!current.ok()) return current.status();
          if (current->closed_at()) return ClosedError(*current);
          v1::Asset asset;
          for (const auto& row : report->rows) {
            if (row.asset_id.empty()) continue;
            ctx.batch.Put(Table::kSettings, AuditResultKey(name, row.asset_id), row.status);
            auto state =
                GetRecord<v1::AssetAudit>(ctx.batch, Table::kFindings, AssetAuditKey(row.asset_id));
            if (!state.ok()) return state.status();
            v1::AssetAudit updated = state->value_or(v1::AssetAudit());
            updated.set_audit(name);
            updated.set_last_audited(ctx.now_s());
            updated.set_outcome(row.status);
            PutRecord(ctx.batch, Table::kFindings, AssetAuditKey(row.asset_id), updated);
            asset.set_id(row.asset_id);
            v1::AssetEvent entry;
            entry.set_kind("audited");
            entry.set_source(ctx.actor);
            entry.set_severity(row.status == audit_status::kMissing ? "medium" : "info");
            entry.set_summary("audit " + name + ": " + row.status +
                              (row.evidence.empty() ? "" : " (" + row.evidence + ")") +
                              (row.seen_location.empty() ? "" : " at " + row.seen_location));
            auto* change = entry.add_changes();
            change->set_field("last_audited");
            change->set_after(FormatTime(ctx.now_s()));
            ctx.events.History(ctx.batch, asset, ctx.now_micros, std::move(entry),
                               /*snapshot=*/false);
          }
          current->set_closed_at(ctx.now_s());
          current->set_closed_by(ctx.actor);
          for (const auto& [k, v] : report->counts) (*current->mutable_outcome_counts())[k] = v;
          PutRecord(ctx.batch, Table::kSettings, AuditKey(name), *current);
          v1::Event event;
          event.set_kind("audit_closed");
          event.set_severity(report->counts[audit_status::kMissing] ? "medium" : "info");
          event.set_source(ctx.actor);
          std::string summary = "audit " + name + " closed:";
          for (const auto& [k, v] : report->counts) summary += " " + k + " " + std::to_string(v);
          event.set_summary(summary);
          ctx.events.Raise(ctx.batch, nullptr, ctx.now_micros, std::move(event));
          return AuditJson(*current);
        });
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeAuditCommand() { return std::make_unique<AuditCommand>(); }

}  // namespace estate::collector
