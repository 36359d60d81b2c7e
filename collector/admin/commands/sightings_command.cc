// estatectl sightings: hosts that scanners saw on the network.
#include "collector/admin/admin_command.h"
#include "collector/admin/commands/builtin_commands.h"
#include "estate/proto_json.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {
namespace {

class SightingsCommand : public AdminCommand {
 public:
  std::string Name() const override { return "sightings"; }
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "sightings",
        "Inventory",
        {{"", "", "hosts seen on the network by the scanners", std::vector<OptionSpec>{}, 0, 0}},
        /*list=*/true};
    return *spec;
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kViewer; }

  Result<nlohmann::json> Run(const v1::AdminRequest&, AdminContext& context) override {
    nlohmann::json out = nlohmann::json::array();
    Status parse_error;
    Status st =
        context.store.Scan(Table::kSightings, "", [&](std::string_view, std::string_view v) {
          v1::Sighting sighting;
          if (!sighting.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
            parse_error = Status::Corruption("unparsable sighting record");
            return false;
          }
          out.push_back(ProtoToJson(sighting));
          return true;
        });
    ESTATE_RETURN_IF_ERROR(st);
    ESTATE_RETURN_IF_ERROR(parse_error);
    return nlohmann::json{{"sightings", std::move(out)}};
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeSightingsCommand() {
  return std::make_unique<SightingsCommand>();
}

}  // namespace estate::collector
