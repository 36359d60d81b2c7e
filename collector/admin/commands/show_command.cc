// estatectl show ASSET: one asset with its sources' facts.
#include <optional>
#include <set>
#include <vector>

#include "collector/admin/admin_args.h"
#include "collector/admin/admin_command.h"
#include "collector/admin/asset_lookup.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/ingest/ingestor.h"
#include "collector/reconcile/facts_sections.h"
#include "collector/reconcile/software_inventory.h"
#include "collector/store/keys.h"
#include "collector/store/software_set.h"
#include "estate/proto_json.h"
#include "estate/v1/facts.pb.h"

namespace estate::collector {
namespace {

// The record as it was at `when`: the snapshot of the last history entry at
// or before it (every entry carries the whole record after its change).
Result<nlohmann::json> ShowAt(AdminContext& context, const v1::Asset& asset,
                              const std::string& when) {
  auto at = ParseTime(when, /*end_of_day=*/true);
  if (!at.ok()) return at.status();
  std::optional<v1::AssetEvent> last;
  Status bad;
  ESTATE_RETURN_IF_ERROR(context.store.Scan(
      Table::kHistory, HistoryPrefix(asset.id()), [&](std::string_view, std::string_view value) {
        v1::AssetEvent event;
        if (!event.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          bad = Status::Corruption("unparsable history record");
          return false;
        }
        if (event.at() > *at) return false;  // history is in time order
        if (!event.snapshot().id().empty()) last = std::move(event);
        return true;
      }));
  ESTATE_RETURN_IF_ERROR(bad);
  if (!last) {
    return Status::NotFound(asset.id() + " has no recorded state at " + FormatTime(*at) +
                            " (first seen " + FormatTime(asset.first_seen()) + ")");
  }
  nlohmann::json out = ProtoToJson(last->snapshot());
  out["as_of"] = FormatTime(*at);
  out["state_since"] = FormatTime(last->at());
  return out;
}

// The node ids that stored facts or packages for `asset_id`, in order.
Result<std::vector<std::string>> NodesOf(Store& store, const std::string& asset_id) {
  std::set<std::string> nodes;
  const std::string prefix = FactsPrefix(asset_id);
  for (Table table : {Table::kFacts, Table::kSoftware}) {
    ESTATE_RETURN_IF_ERROR(store.Scan(table, prefix, [&](std::string_view key, std::string_view) {
      std::string_view rest = key.substr(prefix.size());
      nodes.emplace(rest.substr(0, rest.find('\0')));
      return true;
    }));
  }
  return std::vector<std::string>(nodes.begin(), nodes.end());
}

class ShowCommand : public AdminCommand {
 public:
  std::string Name() const override { return "show"; }
  std::string Help() const override {
    return "show ASSET [--at DATE] [--software] (by id, host name, MAC, IP, serial, tag)";
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kViewer; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    if (request.args_size() != 1) return Status::InvalidArgument("usage: show ASSET");
    auto asset = LookupAsset(context.store, request.args(0));
    if (!asset.ok()) return asset.status();
    if (auto at = Option(request, "at")) return ShowAt(context, *asset, *at);
    // Packages only when asked for: a server's 1,500 are rarely what one looks for.
    const bool with_software = Option(request, "software").has_value();
    nlohmann::json out = ProtoToJson(*asset);
    nlohmann::json facts = nlohmann::json::object();
    auto nodes = NodesOf(context.store, asset->id());
    if (!nodes.ok()) return nodes.status();
    for (const auto& node : *nodes) {
      v1::HostFacts host_facts;
      ESTATE_RETURN_IF_ERROR(LoadSections(context.store, asset->id(), node, &host_facts));
      if (with_software) {
        auto software = SoftwareInventory::Load(context.store, asset->id(), node);
        if (!software.ok()) return software.status();
        if (software->has_value()) {
          context.ingestor.software().Describe(**software, host_facts.mutable_software());
        }
        facts[node] = ProtoToJson(host_facts);
        continue;
      }
      // The count alone is in the set's header: its 1,500 entries stay undecoded.
      auto stored = context.store.Get(Table::kSoftware, SoftwareKey(asset->id(), node));
      if (!stored.ok()) return stored.status();
      SoftwarePeek peek;
      if (stored->has_value() && !LookupSoftware(*stored, {}, {}, &peek)) {
        return Status::Corruption("unparsable software set of " + asset->id() + " node " + node);
      }
      nlohmann::json j = ProtoToJson(host_facts);
      j["software_count"] = peek.count;
      facts[node] = std::move(j);
    }
    out["facts"] = std::move(facts);
    return out;
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeShowCommand() { return std::make_unique<ShowCommand>(); }

}  // namespace estate::collector
