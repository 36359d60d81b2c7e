// estatectl people: every person, with what they own and hold. Owners and
// holders named on assets without a record (a store older than people
// records) are listed too, marked as having none, so the list is complete.
#include <map>

#include "collector/admin/admin_args.h"
#include "collector/admin/asset_lookup.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/admin/people.h"
#include "collector/reconcile/lifecycle.h"
#include "estate/proto_json.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

class PeopleCommand : public AdminCommand {
 public:
  std::string Name() const override { return "people"; }
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "people",
        "People",
        {{"", "", "every person: name, email, department, what they own, hold and have overdue",
          std::vector<OptionSpec>{
              {"department", ValueKind::kText, "TEXT", "department contains TEXT"}},
          0, 0}},
        /*list=*/true};
    return *spec;
  }

  Role RequiredRole(const v1::AdminRequest&) const override { return Role::kViewer; }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    auto people = AllPeople(context.store);
    if (!people.ok()) return people.status();
    struct Tally {
      uint64_t owns = 0, holds = 0, overdue = 0;
    };
    // By record (index into people), or by the bare name of one without a record.
    std::vector<Tally> tallies(people->size());
    std::map<std::string, std::pair<std::string, Tally>>
        unrecorded;  // lower -> (as written, tally)
    auto tally_of = [&](const std::string& name) -> Tally& {
      if (const v1::Person* p = FindPerson(*people, name)) return tallies[p - people->data()];
      auto& entry = unrecorded[ToLower(Trim(name))];
      if (entry.first.empty()) entry.first = std::string(Trim(name));
      return entry.second;
    };
    const int64_t now = UnixNow();
    ESTATE_RETURN_IF_ERROR(ScanLiveAssets(context.store, [&](const v1::Asset& a) {
      auto owner = a.attributes().find("owner");
      if (owner != a.attributes().end() && !Trim(owner->second).empty()) {
        ++tally_of(owner->second).owns;
      }
      if (a.state() == lifecycle::kCheckedOut && !a.custody().holder().empty()) {
        Tally& t = tally_of(a.custody().holder());
        ++t.holds;
        t.overdue += a.custody().due() > 0 && a.custody().due() < now;
      }
      return true;
    }));

    const std::string department = ToLower(OptionOr(request, "department", ""));
    nlohmann::json list = nlohmann::json::array();
    auto add = [&](nlohmann::json j, const Tally& t) {
      if (!department.empty() &&
          ToLower(j.value("department", "")).find(department) == std::string::npos) {
        return;
      }
      j["owns"] = t.owns;
      j["holds"] = t.holds;
      j["overdue"] = t.overdue;
      list.push_back(std::move(j));
    };
    for (size_t i = 0; i < people->size(); ++i) add(ProtoToJson((*people)[i]), tallies[i]);
    for (const auto& [lower, entry] : unrecorded) {
      add({{"name", entry.first}, {"source", "no record"}}, entry.second);
    }
    return nlohmann::json{{"people", std::move(list)}};
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakePeopleCommand() { return std::make_unique<PeopleCommand>(); }

}  // namespace estate::collector
