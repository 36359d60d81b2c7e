// estatectl location [list] | map PATH --switch NAME [--port IFNAME] |
// map PATH --subnet CIDR | unmap (--switch NAME [--port IFNAME] | --subnet CIDR):
// the table that turns where the network saw a device into a location
// (location_map.h). `show` prints the inferred location beside the recorded
// one; `assets --location-mismatch` lists where they disagree.
#include "collector/admin/admin_args.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/admin/location_map.h"
#include "collector/admin/location_path.h"
#include "collector/reconcile/event_recorder.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

std::vector<OptionSpec> WhereOptions() {
  return {{"switch", ValueKind::kText, "NAME", "a switch, as discovery names it (sys_name or IP)"},
          {"port", ValueKind::kText, "IFNAME", "one port of --switch (Gi1/0/3); omitted: all"},
          {"subnet", ValueKind::kText, "CIDR", "an IPv4 or IPv6 subnet (10.1.0.0/16)"}};
}

// The settings key --switch/--port or --subnet name, checked; `what` for messages.
Result<std::pair<std::string, std::string>> MappingKey(const v1::AdminRequest& request) {
  auto sw = Option(request, "switch");
  auto port = Option(request, "port");
  auto subnet = Option(request, "subnet");
  if (sw && subnet) return Status::InvalidArgument("give --switch or --subnet, not both");
  if (port && !sw) return Status::InvalidArgument("--port needs --switch");
  if (subnet) {
    auto parsed = Subnet::Parse(*subnet);
    if (!parsed.ok()) return Status::InvalidArgument("--subnet: " + parsed.status().message());
    if (subnet->find('/') == std::string::npos) {
      return Status::InvalidArgument("--subnet: '" + *subnet +
                                     "' has no prefix length (10.1.0.0/16)");
    }
    return std::make_pair(LocationSubnetKey(Trim(*subnet)), "subnet " + *subnet);
  }
  if (!sw)
    return Status::InvalidArgument(
        "name the place: --switch NAME [--port IFNAME] or --subnet CIDR");
  const std::string name(Trim(*sw));
  const std::string ifname(Trim(port.value_or("")));
  if (name.empty() || (port && ifname.empty())) {
    return Status::InvalidArgument(name.empty() ? "--switch: a switch name is needed"
                                                : "--port: a port name is needed");
  }
  return std::make_pair(LocationSwitchKey(name, ifname),
                        "switch " + name + (ifname.empty() ? "" : " port " + ifname));
}

class LocationCommand : public AdminCommand {
 public:
  std::string Name() const override { return "location"; }
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "location",
        "Inventory",
        {{"", "", "the location map: switch ports and subnets to locations",
          std::vector<OptionSpec>{}, 0, 0},
         {"list", "list", "the location map", std::vector<OptionSpec>{}, 1, 1},
         {"map", "map PATH", "map a switch, a switch port or a subnet to PATH (HQ/B2/F3/R301)",
          WhereOptions(), 2, 2},
         {"unmap", "unmap", "remove the mapping of a switch, a switch port or a subnet",
          WhereOptions(), 1, 1}},
        /*list=*/true};
    return *spec;
  }

  Role RequiredRole(const v1::AdminRequest& request) const override {
    return request.args_size() == 0 || request.args(0) == "list" ? Role::kViewer : Role::kAdmin;
  }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    if (request.args_size() == 0 || request.args(0) == "list") {
      auto map = LocationMap::Load(context.store);
      if (!map.ok()) return map.status();
      nlohmann::json list = nlohmann::json::array();
      for (const auto& m : map->entries()) {
        list.push_back({{"kind", !m.subnet.empty() ? "subnet"
                                 : m.port.empty()  ? "switch"
                                                   : "port"},
                        {"switch", m.switch_name},
                        {"port", m.port},
                        {"subnet", m.subnet},
                        {"path", m.path}});
      }
      return nlohmann::json{{"locations", std::move(list)}};
    }
    auto key = MappingKey(request);
    if (!key.ok()) return key.status();
    const bool map = request.args(0) == "map";
    std::string path;
    if (map) {
      auto normal = NormalizeLocationPath(request.args(1), "PATH");
      if (!normal.ok()) return normal.status();
      path = *normal;
    }
    return context.ingestor.Mutate(
        context.caller.Actor(), [&](ReconcileContext& ctx) -> Result<nlohmann::json> {
          auto before = ctx.batch.Get(Table::kSettings, key->first);
          if (!before.ok()) return before.status();
          if (!map && !before->has_value()) {
            return Status::NotFound(key->second + " is not mapped (location list)");
          }
          map ? ctx.batch.Put(Table::kSettings, key->first, path)
              : ctx.batch.Delete(Table::kSettings, key->first);
          v1::Event event;
          event.set_kind(map ? "location_mapped" : "location_unmapped");
          event.set_severity("info");
          event.set_source(ctx.actor);
          event.set_summary(map ? key->second + " is in " + path : key->second + " unmapped");
          auto* change = event.add_changes();
          change->set_field(key->second);
          change->set_before(before->value_or(""));
          change->set_after(path);
          ctx.events.Raise(ctx.batch, nullptr, ctx.now_micros, std::move(event));
          return nlohmann::json{
              {"mapped", key->second}, {"path", path}, {"before", before->value_or("")}};
        });
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeLocationCommand() { return std::make_unique<LocationCommand>(); }

}  // namespace estate::collector
