// estatectl licence [add|show|set|assign|remove]: the software licences the
// organisation owns, with what each entitles. Records an admin keeps, never
// written by discovery; every change is in the licence's history and the
// event log.
#include <algorithm>
#include <regex>

#include "collector/admin/admin_args.h"
#include "collector/admin/asset_lookup.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/admin/itam_history.h"
#include "collector/admin/licence_compliance.h"
#include "collector/admin/money.h"
#include "collector/ingest/ingestor.h"
#include "collector/reconcile/event_recorder.h"
#include "collector/reconcile/software_policy.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "estate/proto_json.h"
#include "estate/text.h"
#include "estate/version_compare.h"

namespace estate::collector {
namespace {

std::vector<OptionSpec> RecordOptions() {
  return {
      {"product", ValueKind::kText, "PATTERN",
       "the licensed software: a package name or glob (any case), as in the policy"},
      {"publisher", ValueKind::kText, "GLOB", "only this publisher's packages"},
      {"min-version", ValueKind::kText, "VERSION", "lowest version covered (inclusive)"},
      {"max-version", ValueKind::kText, "VERSION", "highest version covered (inclusive)"},
      {"metric",
       ValueKind::kChoice,
       "METRIC",
       "what the quantity counts",
       {std::begin(kLicenceMetrics), std::end(kLicenceMetrics)}},
      {"quantity", ValueKind::kNumber, "N", "devices, users, cores or seats (not for site)"},
      {"min-cores-per-processor", ValueKind::kNumber, "N",
       "per_core: each processor counts at least N cores"},
      {"min-cores-per-host", ValueKind::kNumber, "N",
       "per_core: each host counts at least N cores"},
      {"start", ValueKind::kDate, "DATE", "first valid day (YYYY-MM-DD)"},
      {"end", ValueKind::kDate, "DATE", "last valid day (YYYY-MM-DD); none: perpetual"},
      {"cost", ValueKind::kText, "AMOUNT", "what it cost: 1299.50 EUR"},
      {"vendor", ValueKind::kText, "NAME", "who sold it"},
      {"po", ValueKind::kText, "NUMBER", "the purchase order"},
      {"contract", ValueKind::kText, "ID", "the contract it was bought under"},
      {"notes", ValueKind::kText, "TEXT", "free text"},
  };
}

Status CheckDate(const std::string& field, const std::string& value) {
  if (value.empty() || DaysFromIsoDate(value)) return Status::Ok();
  return Status::InvalidArgument(field + ": '" + value + "' is not a real date (YYYY-MM-DD)");
}

// Applies the options given to `l`; what it leaves must make a valid licence.
Status Apply(const v1::AdminRequest& request, v1::Licence* l) {
  auto set = [&](const char* name, auto setter) {
    if (auto v = Option(request, name)) setter(*v);
  };
  set("product",
      [&](const std::string& v) { l->mutable_product()->set_pattern(std::string(Trim(v))); });
  set("publisher", [&](const std::string& v) { l->mutable_product()->set_publisher(v); });
  set("min-version", [&](const std::string& v) { l->mutable_product()->set_min_version(v); });
  set("max-version", [&](const std::string& v) { l->mutable_product()->set_max_version(v); });
  set("metric", [&](const std::string& v) { l->set_metric(v); });
  set("vendor", [&](const std::string& v) { l->set_vendor(v); });
  set("po", [&](const std::string& v) { l->set_purchase_order(v); });
  set("contract", [&](const std::string& v) { l->set_contract(v); });
  set("notes", [&](const std::string& v) { l->set_notes(v); });
  if (auto q = Option(request, "quantity")) {
    auto n = ParseUint(*q);
    if (!n) return Status::InvalidArgument("quantity: '" + *q + "' is not a whole number >= 0");
    l->set_quantity(*n);
  }
  for (const char* field : {"min-cores-per-processor", "min-cores-per-host"}) {
    auto v = Option(request, field);
    if (!v) continue;
    auto n = v->empty() ? std::optional<uint64_t>(0) : ParseUint(*v);
    if (!n || *n > 1024) {
      return Status::InvalidArgument(std::string(field) + ": '" + *v +
                                     "' is not a number of cores (0 to 1024)");
    }
    field == std::string("min-cores-per-host")
        ? l->set_min_cores_per_host(static_cast<uint32_t>(*n))
        : l->set_min_cores_per_processor(static_cast<uint32_t>(*n));
  }
  for (const char* field : {"start", "end"}) {
    auto v = Option(request, field);
    if (!v) continue;
    ESTATE_RETURN_IF_ERROR(CheckDate(field, *v));
    field == std::string("start") ? l->set_start(*v) : l->set_end(*v);
  }
  if (auto c = Option(request, "cost")) {
    if (!c->empty()) {
      auto money = ParseMoney(*c, "cost");
      if (!money.ok()) return money.status();
    }
    l->set_cost(*c);
  }
  l->mutable_product()->set_kind("package");
  if (l->product().pattern().empty()) {
    return Status::InvalidArgument("product: a licence needs --product (a package name or glob)");
  }
  if (l->metric().empty()) {
    return Status::InvalidArgument("metric: a licence needs --metric (per_device, per_user, ...)");
  }
  if (l->metric() == "site" && l->quantity() != 0) {
    return Status::InvalidArgument(
        "quantity: a site licence is unlimited; it takes no --quantity (or give another metric)");
  }
  if (l->metric() != "per_core" &&
      (l->min_cores_per_processor() != 0 || l->min_cores_per_host() != 0)) {
    return Status::InvalidArgument(
        std::string(l->min_cores_per_processor() != 0 ? "min-cores-per-processor"
                                                      : "min-cores-per-host") +
        ": only a per_core licence counts cores, this one is " + l->metric());
  }
  if (l->metric() != "site" && l->quantity() == 0) {
    return Status::InvalidArgument("quantity: a " + l->metric() +
                                   " licence needs --quantity above 0");
  }
  if (!l->product().min_version().empty() && !l->product().max_version().empty() &&
      CompareVersions(l->product().min_version(), l->product().max_version()) > 0) {
    return Status::InvalidArgument("min-version: " + l->product().min_version() +
                                   " is above max-version " + l->product().max_version());
  }
  if (!l->start().empty() && !l->end().empty() && l->end() < l->start()) {
    return Status::InvalidArgument("end: " + l->end() + " is before start " + l->start());
  }
  return Status::Ok();
}

// What is odd about `l` among the others, said but not refused: a product
// counted by two metrics, the same product bought twice for the same term.
nlohmann::json Warnings(const v1::Licence& l, const std::vector<v1::Licence>& all) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& other : all) {
    if (other.id() == l.id() ||
        ToLower(other.product().pattern()) != ToLower(l.product().pattern()))
      continue;
    if (other.metric() != l.metric()) {
      out.push_back("metric: licence " + other.id() + " counts the same product " + other.metric() +
                    ", this one " + l.metric() +
                    "; entitlements of different metrics are added as they are");
    }
    const bool overlap = (l.end().empty() || other.start().empty() || other.start() <= l.end()) &&
                         (other.end().empty() || l.start().empty() || l.start() <= other.end());
    if (overlap && other.product().min_version() == l.product().min_version() &&
        other.product().max_version() == l.product().max_version() &&
        other.purchase_order() == l.purchase_order() && !l.purchase_order().empty()) {
      out.push_back("po: licence " + other.id() + " has the same purchase order " +
                    l.purchase_order() + " for the same product and term (entered twice?)");
    }
  }
  return out;
}

// A product no agent reported is accepted (bought before it is installed),
// but said: a misspelt pattern would otherwise show as compliant.
void WarnIfMatchingNothing(const SoftwareCatalogue& catalogue, const v1::Licence& l,
                           nlohmann::json* warnings) {
  if (catalogue.title_count() == 0) return;
  bool any = false;
  for (uint32_t t = 1; t <= catalogue.title_count() && !any; ++t) {
    auto title = catalogue.TitleById(t);
    any = title && RuleNameMatches(l.product(), title->name);
  }
  if (!any) {
    warnings->push_back("product: '" + l.product().pattern() +
                        "' matches no software any agent reported");
  }
}

class LicenceCommand : public AdminCommand {
 public:
  std::string Name() const override { return "licence"; }
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "licence",
        "Licences and money",
        {{"", "", "the software licences owned", std::vector<OptionSpec>{}, 0, 0},
         {"add", "add ID", "record a licence", RecordOptions(), 2, 2},
         {"show", "show ID", "a licence, its compliance and its history", std::vector<OptionSpec>{},
          2, 2},
         {"set", "set ID", "change a licence's fields (an empty value clears one)", RecordOptions(),
          2, 2},
         {"assign", "assign ID", "restrict a licence to assets or people (or undo it)",
          std::vector<OptionSpec>{
              {"asset", ValueKind::kText, "ASSET", "an asset it covers"},
              {"person", ValueKind::kText, "NAME", "a person it covers (owner or holder)"},
              {"unassign", ValueKind::kSwitch, "", "remove the asset or person instead"}},
          2, 2},
         {"remove", "remove ID", "delete a licence", std::vector<OptionSpec>{}, 2, 2}},
        /*list=*/true};
    return *spec;
  }

  Role RequiredRole(const v1::AdminRequest& request) const override {
    if (request.args_size() == 0 || request.args(0) == "show") return Role::kViewer;
    return Role::kAdmin;
  }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    if (request.args_size() == 0) return List(context);
    const std::string form = request.args(0);
    const std::string id = request.args_size() > 1 ? request.args(1) : "";
    static const std::regex kId("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    if (!std::regex_match(id, kId)) {
      return Status::InvalidArgument("licence: '" + id +
                                     "' is not a licence id (letters, digits, _ . -, up to 64)");
    }
    if (form == "show") return Show(context, id);
    return context.ingestor.Mutate(
        context.caller.Actor(), [&](ReconcileContext& ctx) -> Result<nlohmann::json> {
          auto stored = GetRecord<v1::Licence>(ctx.batch, Table::kSettings, LicenceKey(id));
          if (!stored.ok()) return stored.status();
          if (form == "add") {
            if (stored->has_value()) return Status::AlreadyExists("licence " + id + " exists");
            v1::Licence l;
            l.set_id(id);
            l.set_added_by(ctx.actor);
            l.set_added_at(ctx.now_s());
            ESTATE_RETURN_IF_ERROR(Apply(request, &l));
            auto all = LoadLicences(ctx.batch);
            if (!all.ok()) return all.status();
            PutRecord(ctx.batch, Table::kSettings, LicenceKey(id), l);
            RecordItamChange(
                ctx, "licence", id, "licence_added",
                "licence " + id + " added: " + l.product().pattern() + " " + l.metric(),
                v1::Licence(), l);
            nlohmann::json out = ProtoToJson(l);
            out["warnings"] = Warnings(l, *all);
            WarnIfMatchingNothing(context.ingestor.software().catalogue(), l, &out["warnings"]);
            return out;
          }
          if (!stored->has_value()) return Status::NotFound("no licence " + id);
          v1::Licence l = **stored;
          if (form == "remove") {
            ctx.batch.Delete(Table::kSettings, LicenceKey(id));
            RecordItamChange(ctx, "licence", id, "licence_removed", "licence " + id + " removed", l,
                             v1::Licence());
            return nlohmann::json{{"removed", id}};
          }
          const v1::Licence before = l;
          if (form == "set") {
            ESTATE_RETURN_IF_ERROR(Apply(request, &l));
          } else if (form == "assign") {
            ESTATE_RETURN_IF_ERROR(Assign(request, ctx, &l));
          } else {
            return Status::InvalidArgument("licence: unknown form " + form);
          }
          PutRecord(ctx.batch, Table::kSettings, LicenceKey(id), l);
          nlohmann::json changes = RecordItamChange(ctx, "licence", id, "licence_changed",
                                                    "licence " + id + " changed", before, l);
          nlohmann::json out = ProtoToJson(l);
          out["changes"] = std::move(changes);
          if (form == "set") {
            auto all = LoadLicences(ctx.batch);
            if (!all.ok()) return all.status();
            out["warnings"] = Warnings(l, *all);
            if (l.product().pattern() != before.product().pattern()) {
              WarnIfMatchingNothing(context.ingestor.software().catalogue(), l, &out["warnings"]);
            }
          }
          return out;
        });
  }

 private:
  Status Assign(const v1::AdminRequest& request, ReconcileContext& ctx, v1::Licence* l) {
    const bool undo = Option(request, "unassign").has_value();
    auto asset = Option(request, "asset");
    auto person = Option(request, "person");
    if (!asset && !person) return Status::InvalidArgument("assign needs --asset or --person");
    if (asset) {
      auto found = LookupAsset(ctx.batch, *asset);
      if (!found.ok()) return found.status();
      auto* list = l->mutable_assets();
      auto it = std::find(list->begin(), list->end(), found->id());
      if (undo && it != list->end()) list->erase(it);
      if (!undo && it == list->end()) l->add_assets(found->id());
    }
    if (person) {
      const std::string name(Trim(*person));
      if (name.empty()) return Status::InvalidArgument("person: empty name");
      auto* list = l->mutable_people();
      auto it = std::find_if(list->begin(), list->end(),
                             [&](const std::string& p) { return ToLower(p) == ToLower(name); });
      if (undo && it != list->end()) list->erase(it);
      if (!undo && it == list->end()) l->add_people(name);
    }
    return Status::Ok();
  }

  Result<nlohmann::json> List(AdminContext& context) {
    auto licences = LoadLicences(context.store);
    if (!licences.ok()) return licences.status();
    auto compliance = ComputeCompliance(context.store, context.ingestor.software().catalogue(),
                                        *licences, DayOfTime(UnixNow()), "",
                                        IndexedInstalls(context.ingestor, context.caller.Actor()),
                                        /*max_hosts=*/0);  // the counts only
    if (!compliance.ok()) return compliance.status();
    std::map<std::string, nlohmann::json> by_id;
    for (auto& row : compliance->at("licences")) by_id[row.at("id")] = row;
    nlohmann::json list = nlohmann::json::array();
    for (const auto& l : *licences) {
      nlohmann::json j = ProtoToJson(l);
      const auto& c = by_id[l.id()];
      for (const char* k : {"valid", "used", "available", "status"}) j[k] = c.at(k);
      list.push_back(std::move(j));
    }
    return nlohmann::json{{"licences", std::move(list)}};
  }

  Result<nlohmann::json> Show(AdminContext& context, const std::string& id) {
    auto stored = GetRecord<v1::Licence>(context.store, Table::kSettings, LicenceKey(id));
    if (!stored.ok()) return stored.status();
    if (!stored->has_value()) return Status::NotFound("no licence " + id);
    auto licences = LoadLicences(context.store);
    if (!licences.ok()) return licences.status();
    auto compliance =
        ComputeCompliance(context.store, context.ingestor.software().catalogue(), *licences,
                          DayOfTime(UnixNow()), (*stored)->product().pattern(),
                          IndexedInstalls(context.ingestor, context.caller.Actor()), kAllHosts);
    if (!compliance.ok()) return compliance.status();
    nlohmann::json out = ProtoToJson(**stored);
    for (const auto& row : compliance->at("licences")) {
      if (row.at("id") == id) out["compliance"] = row;
    }
    for (const auto& product : compliance->at("products")) {
      if (product.at("product") == ToLower((*stored)->product().pattern())) {
        out["product_compliance"] = product;
      }
    }
    auto history = ItamHistory(context.store, "licence", id);
    if (!history.ok()) return history.status();
    out["history"] = std::move(*history);
    out["warnings"] = Warnings(**stored, *licences);
    return out;
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeLicenceCommand() { return std::make_unique<LicenceCommand>(); }

}  // namespace estate::collector
