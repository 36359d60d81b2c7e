// estatectl person NAME: everything a person holds (checked out to them) or
// owns (the owner attribute), overdue first, so "what does dave have?" has
// one answer instead of two filters that each miss half.
#include <algorithm>

#include "collector/admin/admin_args.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/reconcile/lifecycle.h"
#include "estate/proto_json.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

class PersonCommand : public AdminCommand {
 public:
  std::string Name() const override { return "person"; }
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "person",
        "Lifecycle and custody",
        {{"", "NAME",
          "everything NAME holds (checked out) or owns (owner=), overdue first; any case",
          std::vector<OptionSpec>{}, 1, 1}},
        /*list=*/true};
    return *spec;
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kViewer; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    const std::string name = ToLower(Trim(request.args(0)));
    if (name.empty()) return Status::InvalidArgument("person needs a NAME");
    const int64_t now = UnixNow();
    struct Row {
      int rank;  // 0 overdue, 1 holds, 2 owns
      int64_t due;
      nlohmann::json asset;
    };
    std::vector<Row> rows;
    Status bad;
    v1::Asset a;
    ESTATE_RETURN_IF_ERROR(
        context.store.Scan(Table::kAssets, "", [&](std::string_view, std::string_view value) {
          if (!a.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
            bad = Status::Corruption("unparsable asset record");
            return false;
          }
          if (!a.merged_into().empty()) return true;
          const bool holds =
              a.state() == lifecycle::kCheckedOut && ToLower(a.custody().holder()) == name;
          auto owner = a.attributes().find("owner");
          const bool owns = owner != a.attributes().end() && ToLower(owner->second) == name;
          if (!holds && !owns) return true;
          const bool overdue = holds && a.custody().due() > 0 && a.custody().due() < now;
          nlohmann::json j = ProtoToJson(a);
          j["holds"] = holds;
          j["owns"] = owns;
          j["overdue"] = overdue;
          rows.push_back({overdue ? 0 : holds ? 1 : 2, a.custody().due(), std::move(j)});
          return true;
        }));
    ESTATE_RETURN_IF_ERROR(bad);
    std::stable_sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) {
      return x.rank != y.rank ? x.rank < y.rank : x.due < y.due;
    });
    nlohmann::json assets = nlohmann::json::array();
    uint64_t holds = 0, owns = 0, overdue = 0;
    for (auto& r : rows) {
      holds += r.asset.at("holds").get<bool>();
      owns += r.asset.at("owns").get<bool>();
      overdue += r.rank == 0;
      assets.push_back(std::move(r.asset));
    }
    return nlohmann::json{{"person", request.args(0)},
                          {"holds", holds},
                          {"owns", owns},
                          {"overdue", overdue},
                          {"assets", std::move(assets)}};
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakePersonCommand() { return std::make_unique<PersonCommand>(); }

}  // namespace estate::collector
