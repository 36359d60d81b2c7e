// estatectl person NAME: everything a person holds (checked out to them) or
// owns (the owner attribute), overdue first, so "what does dave have?" has
// one answer instead of two filters that each miss half. NAME is any
// spelling of the person (name, full name, email; any case).
// estatectl person import FILE.csv | --getent [FILE]: people records from a
// CSV (name,email,department) or from `getent passwd`; estatectl reads the
// file (or runs getent) and sends its text as the second argument.
#include <algorithm>

#include "collector/admin/admin_args.h"
#include "collector/admin/asset_lookup.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/admin/people.h"
#include "collector/admin/people_import.h"
#include "collector/reconcile/lifecycle.h"
#include "estate/proto_json.h"
#include "estate/suggest.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

constexpr uint32_t kDefaultMinUid = 1000;  // Debian's UID_MIN (login.defs)

class PersonCommand : public AdminCommand {
 public:
  std::string Name() const override { return "person"; }
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "person",
        "People",
        {{"", "NAME",
          "everything NAME holds (checked out) or owns (owner=), overdue first; NAME is a name, "
          "full name or email, any case",
          std::vector<OptionSpec>{}, 1, 1},
         {"import", "import [FILE]",
          "create or update people from a CSV (columns name,email,department; RFC 4180), or "
          "with --getent from `getent passwd` (FILE: its saved output)",
          std::vector<OptionSpec>{
              {"getent", ValueKind::kSwitch, "",
               "read `getent passwd` lines (run here, or from FILE): login, GECOS full name"},
              {"min-uid", ValueKind::kNumber, "UID",
               "with --getent, the first uid of a person (1000); system accounts below it, "
               "and accounts without a login shell, are skipped"}},
          1, 2}},
        /*list=*/true};
    return *spec;
  }

  Role RequiredRole(const v1::AdminRequest& request) const override {
    return request.args_size() > 0 && request.args(0) == "import" ? Role::kAdmin : Role::kViewer;
  }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    if (request.args_size() > 0 && request.args(0) == "import") return Import(request, context);
    return Show(request, context);
  }

 private:
  static Result<nlohmann::json> Import(const v1::AdminRequest& request, AdminContext& context) {
    if (request.args_size() != 2) {
      return Status::InvalidArgument(
          "person import needs the file's text (estatectl person import FILE reads it)");
    }
    const bool getent = Option(request, "getent").has_value();
    if (!getent && Option(request, "min-uid")) {
      return Status::InvalidArgument("--min-uid applies to --getent only");
    }
    uint32_t min_uid = kDefaultMinUid;
    if (auto text = Option(request, "min-uid")) {
      auto parsed = ParseUint(*text);
      if (!parsed || *parsed > UINT32_MAX) {
        return Status::InvalidArgument("--min-uid: '" + *text + "' is not a uid");
      }
      min_uid = static_cast<uint32_t>(*parsed);
    }
    auto file = getent ? ParsePasswd(request.args(1), min_uid) : ParsePeopleCsv(request.args(1));
    if (!file.ok()) return file.status();
    return context.ingestor.Mutate(context.caller.Actor(),
                                   [&](ReconcileContext& ctx) -> Result<nlohmann::json> {
                                     uint64_t created = 0, updated = 0, unchanged = 0;
                                     for (const auto& person : file->people) {
                                       auto outcome = UpsertPerson(ctx.batch, person, ctx.now_s());
                                       if (!outcome.ok())
                                         return outcome.status().WithContext(person.name());
                                       created += *outcome == UpsertOutcome::kCreated;
                                       updated += *outcome == UpsertOutcome::kUpdated;
                                       unchanged += *outcome == UpsertOutcome::kUnchanged;
                                     }
                                     return nlohmann::json{{"created", created},
                                                           {"updated", updated},
                                                           {"unchanged", unchanged},
                                                           {"skipped", file->skipped}};
                                   });
  }

  static Result<nlohmann::json> Show(const v1::AdminRequest& request, AdminContext& context) {
    const std::string who(Trim(request.args(0)));
    if (who.empty()) return Status::InvalidArgument("person needs a NAME");
    auto people = AllPeople(context.store);
    if (!people.ok()) return people.status();
    const v1::Person* person = FindPerson(*people, who);
    const std::vector<std::string> spellings = SpellingsOf(*people, who);
    auto is_them = [&](const std::string& value) {
      return std::find(spellings.begin(), spellings.end(), ToLower(Trim(value))) != spellings.end();
    };
    const int64_t now = UnixNow();
    struct Row {
      int rank;  // 0 overdue, 1 holds, 2 owns
      int64_t due;
      nlohmann::json asset;
    };
    std::vector<Row> rows;
    ESTATE_RETURN_IF_ERROR(ScanLiveAssets(context.store, [&](const v1::Asset& a) {
      const bool holds = a.state() == lifecycle::kCheckedOut && is_them(a.custody().holder());
      auto owner = a.attributes().find("owner");
      const bool owns = owner != a.attributes().end() && is_them(owner->second);
      if (!holds && !owns) return true;
      const bool overdue = holds && a.custody().due() > 0 && a.custody().due() < now;
      nlohmann::json j = ProtoToJson(a);
      j["holds"] = holds;
      j["owns"] = owns;
      j["overdue"] = overdue;
      rows.push_back({overdue ? 0 : holds ? 1 : 2, a.custody().due(), std::move(j)});
      return true;
    }));

    if (person == nullptr && rows.empty()) {
      std::vector<std::string> names;
      for (const auto& p : *people) names.push_back(ToLower(p.name()));
      return Status::NotFound("no person '" + who + "'" + DidYouMean(ToLower(who), names) +
                              " owns or holds anything; `estatectl people` lists them");
    }
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
    // A store written before people records: the name alone, no record yet.
    nlohmann::json record = person ? ProtoToJson(*person) : nlohmann::json{{"name", who}};
    return nlohmann::json{{"person", std::move(record)},
                          {"holds", holds},
                          {"owns", owns},
                          {"overdue", overdue},
                          {"assets", std::move(assets)}};
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakePersonCommand() { return std::make_unique<PersonCommand>(); }

}  // namespace estate::collector
