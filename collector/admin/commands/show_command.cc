// estatectl show ASSET: one asset with its sources' facts.
#include <arpa/inet.h>

#include <map>
#include <optional>
#include <set>
#include <vector>

#include "collector/admin/admin_args.h"
#include "collector/admin/admin_command.h"
#include "collector/admin/asset_lookup.h"
#include "collector/admin/attribute_schema.h"
#include "collector/admin/audit_records.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/admin/location_map.h"
#include "collector/admin/location_path.h"
#include "collector/ingest/ingestor.h"
#include "collector/reconcile/device_inventory.h"
#include "collector/reconcile/facts_sections.h"
#include "collector/reconcile/guest_assets.h"
#include "collector/reconcile/software_inventory.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "collector/store/software_set.h"
#include "estate/proto_json.h"
#include "estate/v1/facts.pb.h"

namespace estate::collector {
namespace {

// The record as it was at `when`: the snapshot of the last history entry at
// or before it that carries one (every change of the record does; software
// entries, which change no field of it, do not).
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

// What `show` reads of each node of an asset: its facts sections, joined in
// key order (they parse as one HostFacts), and its stored package set. One
// pass over each table: an agent's sections are read once, not once to find
// the node and again to load it.
struct NodeRecords {
  std::string facts_wire;
  std::optional<std::string> software;
};

Result<std::map<std::string, NodeRecords>> ReadNodes(Store& store, const std::string& asset_id) {
  std::map<std::string, NodeRecords> nodes;
  const std::string prefix = FactsPrefix(asset_id);
  auto node_of = [&](std::string_view key) {
    std::string_view rest = key.substr(prefix.size());
    return std::string(rest.substr(0, rest.find('\0')));
  };
  ESTATE_RETURN_IF_ERROR(
      store.Scan(Table::kFacts, prefix, [&](std::string_view key, std::string_view value) {
        nodes[node_of(key)].facts_wire.append(value);
        return true;
      }));
  ESTATE_RETURN_IF_ERROR(
      store.Scan(Table::kSoftware, prefix, [&](std::string_view key, std::string_view value) {
        nodes[node_of(key)].software.emplace(value);
        return true;
      }));
  return nodes;
}

bool IsIpAddress(const std::string& text) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, text.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

// The asset a printer queue prints to (its URI's host: an address, an FQDN or
// a host name the inventory knows), so a queue leads to the device the
// scanner found; empty when nothing is known there.
Result<std::string> PrinterAsset(ReadView& view, const v1::Printer& printer) {
  std::string host = printer.host();
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  if (host.empty()) return std::string();
  std::vector<std::string> keys;
  if (IsIpAddress(host)) {
    keys.push_back(IdentityKey(identity::kIp, host));
  } else {
    if (host.find('.') != std::string::npos) keys.push_back(IdentityKey(identity::kFqdn, host));
    keys.push_back(IdentityKey(identity::kHostname, host.substr(0, host.find('.'))));
  }
  for (const auto& key : keys) {
    auto id = view.Get(Table::kIdentity, key);
    if (!id.ok()) return id.status();
    if (id->has_value()) return **id;
  }
  return std::string();
}

// "linked_assets": the assets behind a node's printer queues and guests,
// keyed "printer:QUEUE" and "guest:NAME".
Result<std::string> LinkedAssetsJson(ReadView& view, const v1::Asset& host,
                                     const v1::HostFacts& facts) {
  nlohmann::json links = nlohmann::json::object();
  for (const auto& printer : facts.printers()) {
    auto id = PrinterAsset(view, printer);
    if (!id.ok()) return id.status();
    if (!id->empty()) links["printer:" + printer.queue()] = *id;
  }
  for (const auto& guest : facts.guests()) {
    const std::string key = GuestIdentityKey(guest, host);
    if (key.empty()) continue;
    auto id = view.Get(Table::kIdentity, key);
    if (!id.ok()) return id.status();
    if (id->has_value()) links["guest:" + guest.name()] = **id;
  }
  if (links.empty()) return std::string();
  return "\"linked_assets\":" +
         links.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

class ShowCommand : public AdminCommand {
 public:
  std::string Name() const override { return "show"; }
  const CommandSpec& Spec() const override {
    static const auto* spec =
        new CommandSpec{"show",
                        "Inventory",
                        {{"", "ASSET", "one asset (by id, host name, MAC, IP, serial or tag)",
                          std::vector<OptionSpec>{
                              {"at", ValueKind::kDate, "DATE", "the asset as it was at DATE"},
                              {"software", ValueKind::kSwitch, "", "with its installed packages"}},
                          1, 1}},
                        /*list=*/false};
    return *spec;
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kViewer; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    auto text = RunToText(request, context);
    if (!text.ok()) return text.status();
    return nlohmann::json::parse(*text);
  }

  // Written as text: an agent's facts are thousands of values, and a JSON
  // tree of them cost more than reading them from the store.
  Result<std::string> RunToText(const v1::AdminRequest& request, AdminContext& context) override {
    if (request.args_size() != 1) return Status::InvalidArgument("usage: show ASSET");
    auto asset = LookupAsset(context.store, request.args(0));
    if (!asset.ok()) return asset.status();
    if (auto at = Option(request, "at")) {
      auto past = ShowAt(context, *asset, *at);
      if (!past.ok()) return past.status();
      return past->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    // Packages only when asked for: a server's 1,500 are rarely what one looks for.
    const bool with_software = Option(request, "software").has_value();
    std::string out;
    AppendProtoJson(*asset, &out);
    out.pop_back();  // the record's closing brace: "facts" goes inside it
    if (out.size() > 1) out += ',';
    // Values stored before the schema, flagged rather than hidden or rewritten.
    auto classes = KnownClasses(context.store);
    if (!classes.ok()) return classes.status();
    if (const auto problems = CheckStoredAsset(*asset, *classes); !problems.empty()) {
      nlohmann::json invalid = nlohmann::json::object();
      for (const auto& p : problems) invalid[p.field] = p.reason;
      out +=
          "\"invalid\":" + invalid.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
          ",";
    }
    // Where the network places it (location map), beside the recorded location,
    // and its last audit.
    auto location_map = LocationMap::Load(context.store);
    if (!location_map.ok()) return location_map.status();
    if (auto seen = location_map->Infer(*asset)) {
      const std::string recorded = RecordedLocation(*asset);
      out += "\"location_inferred\":" +
             nlohmann::json{{"path", seen->path},
                            {"basis", seen->basis},
                            {"recorded", recorded},
                            {"mismatch", LocationsDisagree(recorded, seen->path)}}
                 .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
             ",";
    }
    auto audited =
        GetRecord<v1::AssetAudit>(context.store, Table::kFindings, AssetAuditKey(asset->id()));
    if (!audited.ok()) return audited.status();
    if (audited->has_value()) {
      const auto& a = **audited;
      out += "\"audit\":" +
             nlohmann::json{{"audit", a.audit()},
                            {"last_audited", FormatTime(a.last_audited())},
                            {"outcome", a.outcome()},
                            {"last_confirmed", FormatTime(a.last_confirmed())}}
                 .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
             ",";
    }
    // Each source's software version as it last said (FusionInventory 2.6, ...).
    nlohmann::json versions = nlohmann::json::object();
    for (const auto& source : asset->sources()) {
      auto node = GetRecord<v1::NodeState>(context.store, Table::kNodes, source.node_id());
      if (!node.ok()) return node.status();
      if (node->has_value() && !(*node)->software_version().empty()) {
        versions[source.node_id()] = (*node)->software_version();
      }
    }
    out += "\"source_versions\":" +
           versions.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + ",";
    out += "\"facts\":{";
    auto nodes = ReadNodes(context.store, asset->id());
    if (!nodes.ok()) return nodes.status();
    bool first = true;
    for (const auto& entry : *nodes) {
      // Not a structured binding: lambdas below use the node (clang 14 cannot capture bindings).
      const std::string& node = entry.first;
      const NodeRecords& records = entry.second;
      v1::HostFacts host_facts;
      if (!host_facts.ParseFromString(records.facts_wire)) {
        return Status::Corruption("unparsable facts of " + asset->id() + " node " + node);
      }
      std::string count;
      const auto corrupt = [&] {
        return Status::Corruption("unparsable software set of " + asset->id() + " node " + node);
      };
      if (with_software) {
        HostSoftware software;
        if (records.software) {
          if (!DecodeSoftwareSet(*records.software, &software)) return corrupt();
          context.ingestor.software().Describe(software, host_facts.mutable_software());
        }
      } else {
        // The count alone is in the set's header: its 1,500 entries stay undecoded.
        SoftwarePeek peek;
        if (records.software && !LookupSoftware(records.software, {}, {}, &peek)) return corrupt();
        count = "\"software_count\":" + std::to_string(peek.count);
      }
      auto links = LinkedAssetsJson(context.store, *asset, host_facts);
      if (!links.ok()) return links.status();
      if (!first) out += ',';
      first = false;
      AppendJsonString(node, &out);
      out += ':';
      AppendProtoJson(host_facts, &out);
      for (const std::string* extra : {&count, &*links}) {
        if (extra->empty()) continue;
        out.pop_back();
        if (out.back() != '{') out += ',';
        out += *extra + "}";
      }
    }
    out += '}';
    // A network device's last SNMP inventory: VLANs, processors, modules...
    auto device = GetDeviceInventory(context.store, asset->id());
    if (!device.ok()) return device.status();
    if (device->has_value()) {
      out += ",\"snmp\":";
      AppendProtoJson(**device, &out);
    }
    out += '}';
    return out;
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeShowCommand() { return std::make_unique<ShowCommand>(); }

}  // namespace estate::collector
