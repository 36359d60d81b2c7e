// estatectl drift [ASSET] [--min-severity S]: open differences from baselines.
// estatectl accept ASSET [GROUP...]: the current state becomes the baseline.
#include "collector/admin/admin_args.h"
#include "collector/admin/asset_change.h"
#include "collector/admin/asset_filter.h"
#include "collector/admin/asset_lookup.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/ingest/ingestor.h"
#include "collector/reconcile/asset_records.h"
#include "collector/reconcile/drift.h"
#include "collector/reconcile/facts_sections.h"
#include "collector/reconcile/policy_checks.h"
#include "collector/reconcile/software_inventory.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "estate/proto_json.h"
#include "estate/v1/facts.pb.h"

namespace estate::collector {
namespace {

// The open software drift of one node: its set's exceptions, as drift items.
Status SoftwareDriftItems(AdminContext& context, const SoftwarePolicy& policy,
                          const v1::Asset& asset, const std::string& node_id, int min_rank,
                          nlohmann::json* items) {
  auto software = SoftwareInventory::Load(context.store, asset.id(), node_id);
  if (!software.ok()) return software.status();
  if (!software->has_value()) return Status::Ok();
  const SoftwareCatalogue& catalogue = context.ingestor.software().catalogue();
  for (const auto& x : (*software)->exceptions) {
    const SoftwareEntry* now = (*software)->Find(x.title);
    const uint32_t current = now ? catalogue.VersionId(x.title, now->version_rank) : 0;
    const std::string verdict(
        current ? VersionVerdict(policy, catalogue, current, asset.asset_class()) : "approved");
    const std::string severity = SoftwareDriftSeverity(x.version, current, verdict);
    if (SeverityRank(severity) < min_rank) continue;
    auto title = catalogue.TitleById(x.title);
    auto version_text = [&](uint32_t id) -> std::string {
      if (id == 0) return "";
      auto v = catalogue.VersionById(id);
      return v ? v->version : "";
    };
    const std::string fact = "software." + (title ? title->name : std::to_string(x.title));
    const std::string before = version_text(x.version);
    const std::string after = version_text(current);
    std::string summary = fact + " changed: " + before + " -> " + after;
    if (x.version == 0) summary = fact + " added: " + after;
    if (current == 0) summary = fact + " removed (was " + before + ")";
    if (current != 0 && verdict == verdict::kProhibited) {
      summary = fact + " " + after + " is prohibited by the software policy";
    }
    items->push_back({{"asset_id", asset.id()},
                      {"fact", fact},
                      {"group", "software"},
                      {"before", before},
                      {"after", after},
                      {"severity", severity},
                      {"first_seen", FormatTime(x.since)},
                      {"summary", summary}});
  }
  return Status::Ok();
}

class DriftCommand : public AdminCommand {
 public:
  std::string Name() const override { return "drift"; }
  const CommandSpec& Spec() const override {
    static const auto* spec =
        new CommandSpec{"drift",
                        "Shadow IT and drift",
                        {{"", "[ASSET]", "open differences from the baselines",
                          std::vector<OptionSpec>{{"min-severity",
                                                   ValueKind::kChoice,
                                                   "SEVERITY",
                                                   "hide differences below SEVERITY",
                                                   {"info", "low", "medium", "high", "critical"}}},
                          0, 1}},
                        /*list=*/true};
    return *spec;
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kViewer; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    const int min_rank = SeverityRank(OptionOr(request, "min-severity", "info"));
    std::string prefix = FindingsPrefix("drift");
    std::string software_prefix = FindingsPrefix("software_drift");
    const std::string base = prefix, software_base = software_prefix;
    if (request.args_size() == 1) {
      auto asset = LookupAsset(context.store, request.args(0));
      if (!asset.ok()) return asset.status();
      prefix = FindingsKey("drift", asset->id());
      software_prefix = FindingsKey("software_drift", asset->id() + std::string(1, '\0'));
    }
    nlohmann::json items = nlohmann::json::array();
    Status bad;
    ESTATE_RETURN_IF_ERROR(context.store.Scan(
        Table::kFindings, prefix, [&](std::string_view key, std::string_view value) {
          v1::DriftState state;
          if (!state.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
            bad = Status::Corruption("unparsable drift record");
            return false;
          }
          const std::string asset_id(key.substr(base.size()));
          for (const auto& item : state.items()) {
            if (SeverityRank(item.severity()) < min_rank) continue;
            nlohmann::json j = ProtoToJson(item);
            j["asset_id"] = asset_id;
            j["first_seen"] = FormatTime(item.first_seen());
            items.push_back(std::move(j));
          }
          return true;
        }));
    ESTATE_RETURN_IF_ERROR(bad);
    // Software drift: the nodes marked as having some.
    std::vector<std::pair<std::string, std::string>> marked;
    ESTATE_RETURN_IF_ERROR(context.store.Scan(
        Table::kFindings, software_prefix, [&](std::string_view key, std::string_view) {
          std::string_view rest = key.substr(software_base.size());
          const size_t sep = rest.find('\0');
          if (sep != std::string_view::npos) {
            marked.emplace_back(std::string(rest.substr(0, sep)),
                                std::string(rest.substr(sep + 1)));
          }
          return true;
        }));
    const auto policy = context.ingestor.policy();
    for (const auto& [asset_id, node_id] : marked) {
      auto asset = LoadAsset(context.store, asset_id);
      if (!asset.ok()) return asset.status();
      if (!asset->has_value()) continue;
      ESTATE_RETURN_IF_ERROR(
          SoftwareDriftItems(context, *policy, **asset, node_id, min_rank, &items));
    }
    return nlohmann::json{{"drift", std::move(items)}};
  }
};

class AcceptCommand : public AdminCommand {
 public:
  std::string Name() const override { return "accept"; }
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "accept",
        "Shadow IT and drift",
        {{"", "[ASSET...] [GROUP...] [filters]",
          "make the current state the baseline of the ASSETs named or of every asset with open "
          "drift the filters match; GROUP: hardware, os, software or network (default: the class's "
          "drift groups)",
          Concat(AssetFilterOptions(),
                 std::vector<OptionSpec>{{"dry-run", ValueKind::kSwitch, "",
                                          "print what would change, change nothing"}}),
          0, -1}},
        /*list=*/false};
    return *spec;
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kAdmin; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    // Arguments naming a drift group are groups; the others name assets.
    GroupSet groups;
    BulkSelection selection;
    for (const auto& arg : request.args()) {
      if (AllDriftGroups().count(arg)) {
        groups.insert(arg);
      } else {
        selection.names.push_back(arg);
      }
    }
    auto filter = AssetFilter::FromRequest(context.store, request, UnixNow());
    if (!filter.ok()) return filter.status();
    selection.filter = &*filter;
    selection.dry_run = Option(request, "dry-run").has_value();
    // With filters: the assets with open drift.
    selection.eligible = [](ReconcileContext& ctx, const v1::Asset& a) {
      auto drift = ctx.batch.Get(Table::kFindings, FindingsKey("drift", a.id()));
      if (!drift.ok() || drift->has_value()) return true;  // an error: let the accept report it
      bool software = false;
      (void)ctx.batch.Scan(Table::kFindings,
                           FindingsKey("software_drift", a.id() + std::string(1, '\0')),
                           [&](std::string_view, std::string_view) {
                             software = true;
                             return false;
                           });
      return software;
    };
    return context.ingestor.Mutate(
        context.caller.Actor(), [&](ReconcileContext& ctx) -> Result<nlohmann::json> {
          auto targets = SelectAssets(ctx, context, selection);
          if (!targets.ok()) return targets.status();
          nlohmann::json list = nlohmann::json::array();
          for (const auto& asset : *targets) {
            auto accepted = Accept(ctx, asset, groups, selection.dry_run);
            if (!accepted.ok()) return accepted.status().WithContext(asset.id());
            list.push_back({{"asset_id", asset.id()},
                            {"hostname", asset.hostname()},
                            {"accepted", *accepted}});
          }
          if (targets->size() == 1 && !selection.dry_run && selection.names.size() == 1) {
            return list.front();  // the single-asset answer, as before bulk accept
          }
          return nlohmann::json{
              {"dry_run", selection.dry_run}, {"count", list.size()}, {"assets", std::move(list)}};
        });
  }

 private:
  // Makes the asset's current state its baseline for `groups` (empty: its
  // class's drift groups); the groups, comma-separated.
  static Result<std::string> Accept(ReconcileContext& ctx, const v1::Asset& asset,
                                    const GroupSet& groups, bool dry_run) {
    GroupSet accepted = groups.empty() ? ctx.options.DriftGroupsFor(asset.asset_class()) : groups;
    std::string list;
    for (const auto& g : accepted) list += (list.empty() ? "" : ",") + g;
    if (dry_run) return list;
    // One agent's facts are the asset's hardware and OS state.
    std::optional<v1::HostFacts> facts;
    std::string node;
    ESTATE_RETURN_IF_ERROR(ctx.batch.Scan(
        Table::kFacts, FactsPrefix(asset.id()), [&](std::string_view key, std::string_view) {
          std::string_view rest = key.substr(FactsPrefix(asset.id()).size());
          node = std::string(rest.substr(0, rest.find('\0')));
          return false;
        }));
    if (!node.empty()) {
      facts.emplace();
      ESTATE_RETURN_IF_ERROR(LoadSections(ctx.batch, asset.id(), node, &*facts));
    }
    ESTATE_RETURN_IF_ERROR(AcceptBaseline(ctx, asset, facts ? &*facts : nullptr, accepted));
    if (accepted.count(std::string(drift_group::kSoftware)) && ctx.software != nullptr) {
      ESTATE_RETURN_IF_ERROR(ctx.software->Accept(ctx, asset.id()));
    }
    v1::AssetEvent entry;
    entry.set_kind("baseline_accepted");
    entry.set_source(ctx.actor);
    entry.set_summary("current state accepted as baseline for " + list);
    ctx.events.History(ctx.batch, asset, ctx.now_micros, std::move(entry));
    return list;
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeDriftCommand() { return std::make_unique<DriftCommand>(); }
std::unique_ptr<AdminCommand> MakeAcceptCommand() { return std::make_unique<AcceptCommand>(); }

}  // namespace estate::collector
