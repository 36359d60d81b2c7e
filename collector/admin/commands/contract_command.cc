// estatectl contract [add|show|set|assign|remove]: support, lease, warranty,
// maintenance and subscription contracts, the assets they cover and when
// they end. Records an admin keeps, never written by discovery.
#include <algorithm>
#include <regex>

#include "collector/admin/admin_args.h"
#include "collector/admin/asset_lookup.h"
#include "collector/admin/commands/builtin_commands.h"
#include "collector/admin/contract_records.h"
#include "collector/admin/itam_history.h"
#include "collector/admin/money.h"
#include "collector/ingest/ingestor.h"
#include "collector/store/records.h"
#include "estate/proto_json.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

std::vector<OptionSpec> RecordOptions() {
  return {
      {"type",
       ValueKind::kChoice,
       "TYPE",
       "what the contract is",
       {std::begin(kContractTypes), std::end(kContractTypes)}},
      {"vendor", ValueKind::kText, "NAME", "the other party"},
      {"number", ValueKind::kText, "TEXT", "the vendor's contract number"},
      {"start", ValueKind::kDate, "DATE", "first day covered (YYYY-MM-DD)"},
      {"end", ValueKind::kDate, "DATE", "last day covered (YYYY-MM-DD)"},
      {"notice", ValueKind::kNumber, "DAYS", "renewal notice period before the end"},
      {"cost", ValueKind::kText, "AMOUNT", "what it costs over its term: 1299.50 EUR"},
      {"notes", ValueKind::kText, "TEXT", "free text"},
  };
}

Status Apply(const v1::AdminRequest& request, v1::Contract* c) {
  if (auto v = Option(request, "type")) c->set_type(*v);
  if (auto v = Option(request, "vendor")) c->set_vendor(*v);
  if (auto v = Option(request, "number")) c->set_number(*v);
  if (auto v = Option(request, "notes")) c->set_notes(*v);
  for (const char* field : {"start", "end"}) {
    auto v = Option(request, field);
    if (!v) continue;
    if (!v->empty() && !DaysFromIsoDate(*v)) {
      return Status::InvalidArgument(std::string(field) + ": '" + *v +
                                     "' is not a real date (YYYY-MM-DD)");
    }
    field == std::string("start") ? c->set_start(*v) : c->set_end(*v);
  }
  if (auto v = Option(request, "notice")) {
    auto n = ParseUint(*v);
    if (!n || *n > 3650) return Status::InvalidArgument("notice: 0 to 3650 days");
    c->set_notice_days(static_cast<uint32_t>(*n));
  }
  if (auto v = Option(request, "cost")) {
    if (!v->empty()) {
      auto money = ParseMoney(*v, "cost");
      if (!money.ok()) return money.status();
    }
    c->set_cost(*v);
  }
  if (c->type().empty()) {
    return Status::InvalidArgument(
        "type: a contract needs --type (support, lease, warranty, maintenance, subscription)");
  }
  if (c->end().empty()) return Status::InvalidArgument("end: a contract needs --end");
  if (!c->start().empty() && c->end() < c->start()) {
    return Status::InvalidArgument("end: " + c->end() + " is before start " + c->start());
  }
  if (c->notice_days() > 0 && !c->start().empty()) {
    const int64_t term = *DaysFromIsoDate(c->end()) - *DaysFromIsoDate(c->start());
    if (c->notice_days() > term) {
      return Status::InvalidArgument("notice: " + std::to_string(c->notice_days()) +
                                     " days is longer than the term (" + std::to_string(term) +
                                     " days)");
    }
  }
  return Status::Ok();
}

class ContractCommand : public AdminCommand {
 public:
  std::string Name() const override { return "contract"; }
  const CommandSpec& Spec() const override {
    static const auto* spec = new CommandSpec{
        "contract",
        "Licences and money",
        {{"", "", "support, lease, warranty, maintenance and subscription contracts",
          std::vector<OptionSpec>{}, 0, 0},
         {"add", "add ID", "record a contract", RecordOptions(), 2, 2},
         {"show", "show ID", "a contract, its covered assets and its history",
          std::vector<OptionSpec>{}, 2, 2},
         {"set", "set ID", "change a contract's fields (an empty value clears one)",
          RecordOptions(), 2, 2},
         {"assign", "assign ID", "add a covered asset (or remove one)",
          std::vector<OptionSpec>{{"asset", ValueKind::kText, "ASSET", "an asset it covers"},
                                  {"unassign", ValueKind::kSwitch, "", "remove the asset instead"}},
          2, 2},
         {"remove", "remove ID", "delete a contract", std::vector<OptionSpec>{}, 2, 2}},
        /*list=*/true};
    return *spec;
  }

  Role RequiredRole(const v1::AdminRequest& request) const override {
    if (request.args_size() == 0 || request.args(0) == "show") return Role::kViewer;
    return Role::kAdmin;
  }

  Result<nlohmann::json> Run(const v1::AdminRequest& request, AdminContext& context) override {
    const int64_t today = DayOfTime(UnixNow());
    if (request.args_size() == 0) {
      auto contracts = LoadContracts(context.store);
      if (!contracts.ok()) return contracts.status();
      nlohmann::json list = nlohmann::json::array();
      for (const auto& c : *contracts) list.push_back(Describe(c, today));
      return nlohmann::json{{"contracts", std::move(list)}};
    }
    const std::string form = request.args(0);
    const std::string id = request.args(1);
    static const std::regex kId("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    if (!std::regex_match(id, kId)) {
      return Status::InvalidArgument("contract: '" + id +
                                     "' is not a contract id (letters, digits, _ . -, up to 64)");
    }
    if (form == "show") {
      auto stored = GetRecord<v1::Contract>(context.store, Table::kSettings, ContractKey(id));
      if (!stored.ok()) return stored.status();
      if (!stored->has_value()) return Status::NotFound("no contract " + id);
      nlohmann::json out = Describe(**stored, today);
      auto history = ItamHistory(context.store, "contract", id);
      if (!history.ok()) return history.status();
      out["history"] = std::move(*history);
      return out;
    }
    return context.ingestor.Mutate(
        context.caller.Actor(), [&](ReconcileContext& ctx) -> Result<nlohmann::json> {
          auto stored = GetRecord<v1::Contract>(ctx.batch, Table::kSettings, ContractKey(id));
          if (!stored.ok()) return stored.status();
          if (form == "add") {
            if (stored->has_value()) return Status::AlreadyExists("contract " + id + " exists");
            v1::Contract c;
            c.set_id(id);
            c.set_added_by(ctx.actor);
            c.set_added_at(ctx.now_s());
            ESTATE_RETURN_IF_ERROR(Apply(request, &c));
            PutRecord(ctx.batch, Table::kSettings, ContractKey(id), c);
            RecordItamChange(ctx, "contract", id, "contract_added",
                             c.type() + " contract " + id + " added, ends " + c.end(),
                             v1::Contract(), c);
            return ProtoToJson(c);
          }
          if (!stored->has_value()) return Status::NotFound("no contract " + id);
          v1::Contract c = **stored;
          if (form == "remove") {
            ctx.batch.Delete(Table::kSettings, ContractKey(id));
            RecordItamChange(ctx, "contract", id, "contract_removed", "contract " + id + " removed",
                             c, v1::Contract());
            return nlohmann::json{{"removed", id}};
          }
          const v1::Contract before = c;
          if (form == "set") {
            ESTATE_RETURN_IF_ERROR(Apply(request, &c));
          } else if (form == "assign") {
            auto what = Option(request, "asset");
            if (!what) return Status::InvalidArgument("assign needs --asset");
            auto asset = LookupAsset(ctx.batch, *what);
            if (!asset.ok()) return asset.status();
            auto* list = c.mutable_assets();
            auto it = std::find(list->begin(), list->end(), asset->id());
            const bool undo = Option(request, "unassign").has_value();
            if (undo && it != list->end()) list->erase(it);
            if (!undo && it == list->end()) c.add_assets(asset->id());
          } else {
            return Status::InvalidArgument("contract: unknown form " + form);
          }
          PutRecord(ctx.batch, Table::kSettings, ContractKey(id), c);
          nlohmann::json out = ProtoToJson(c);
          out["changes"] = RecordItamChange(ctx, "contract", id, "contract_changed",
                                            "contract " + id + " changed", before, c);
          return out;
        });
  }

 private:
  static nlohmann::json Describe(const v1::Contract& c, int64_t today) {
    nlohmann::json j = ProtoToJson(c);
    j["active"] = ContractActive(c, today);
    if (auto end = DaysFromIsoDate(c.end())) j["days_left"] = *end - today;
    return j;
  }
};

}  // namespace

std::unique_ptr<AdminCommand> MakeContractCommand() { return std::make_unique<ContractCommand>(); }

}  // namespace estate::collector
