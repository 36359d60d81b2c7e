#include "collector/admin/register_importer.h"

#include <algorithm>
#include <optional>

#include "collector/admin/asset_change.h"
#include "collector/admin/asset_lookup.h"
#include "collector/admin/people.h"
#include "collector/reconcile/asset_records.h"
#include "collector/reconcile/lifecycle.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

// The admin attributes a row may carry (the rest are the record's own fields).
bool IsAttribute(const std::string& field) {
  return field == "asset_tag" || field == "location" || field == "department" || field == "owner" ||
         field == "purchase_date" || field == "cost" || field == "warranty_end" ||
         field == "notes" || StartsWith(field, "x-");
}

}  // namespace

const char* ActionName(ImportOutcome::Action action) {
  switch (action) {
    case ImportOutcome::Action::kCreate:
      return "create";
    case ImportOutcome::Action::kUpdate:
      return "update";
    case ImportOutcome::Action::kUnchanged:
      return "unchanged";
    case ImportOutcome::Action::kConflict:
      return "conflict";
    case ImportOutcome::Action::kError:
      return "error";
  }
  return "error";
}

RegisterImporter::RegisterImporter(ReconcileContext& ctx, ImportOptions options,
                                   const std::vector<std::string>& locations)
    : ctx_(ctx), options_(std::move(options)) {
  for (const auto& l : locations) locations_.emplace(ToLower(l), l);
}

Status RegisterImporter::Start() {
  auto people = AllPeople(ctx_.batch);
  if (!people.ok()) return people.status();
  // Names first, so a name wins over another person's full name (FindPerson's rule).
  for (const auto& p : *people) people_.emplace(ToLower(p.name()), p.name());
  for (const auto& p : *people) {
    for (const auto& spelling : PersonSpellings(p)) people_.emplace(spelling, p.name());
  }
  return Status::Ok();
}

std::string RegisterImporter::Person(const std::string& who, size_t line) {
  const std::string key = ToLower(Trim(who));
  if (auto it = people_.find(key); it != people_.end()) {
    if (people_seen_.insert(it->second).second &&
        std::find(people_created_.begin(), people_created_.end(), it->second) ==
            people_created_.end()) {
      ++people_matched_;
    }
    return it->second;
  }
  v1::Person person;
  person.set_name(who);
  if (who.find('@') != std::string::npos && CheckEmail(who).ok()) person.set_email(who);
  person.set_created_at(ctx_.now_s());
  person.set_updated_at(ctx_.now_s());
  person.set_source("import:" + options_.file + ":" + std::to_string(line));
  PutRecord(ctx_.batch, Table::kSettings, PersonKey(who), person);
  people_.emplace(key, who);
  people_created_.push_back(who);
  people_seen_.insert(who);
  return who;
}

std::string RegisterImporter::Location(const std::string& path) {
  const std::string key = ToLower(path);
  auto [it, fresh] = locations_.emplace(key, path);
  if (locations_seen_.insert(key).second) {
    if (fresh) {
      locations_created_.push_back(path);
    } else {
      ++locations_matched_;
    }
  }
  return it->second;
}

Result<std::map<std::string, std::vector<std::string>>> RegisterImporter::Match(
    const ImportRow& row) {
  std::map<std::string, std::vector<std::string>> found;
  std::map<std::string, std::string> resolved;  // indexed id -> live id ("": none)
  auto follow = [&](const std::optional<std::string>& id, const std::string& what) -> Status {
    if (!id) return Status::Ok();
    // The index may name a record merged into another since: the survivor.
    // Most identifiers of a row lead to one id: it is loaded once.
    auto known = resolved.find(*id);
    if (known == resolved.end()) {
      auto asset = LoadAsset(ctx_.batch, *id);
      if (!asset.ok()) return asset.status();
      known = resolved.emplace(*id, asset->has_value() ? (*asset)->id() : "").first;
    }
    if (!known->second.empty()) found[known->second].push_back(what);
    return Status::Ok();
  };
  if (auto id = row.Get("asset_id"); !id.empty()) {
    ESTATE_RETURN_IF_ERROR(follow(id, "asset_id " + id));
  }
  const std::pair<std::string_view, std::string> any_case[] = {
      {identity::kAssetTag, row.Get("asset_tag")}, {identity::kSerial, row.Get("serial")}};
  for (const auto& [kind, value] : any_case) {
    if (value.empty()) continue;
    auto id = FindIdentityAnyCase(ctx_.batch, kind, value);
    if (!id.ok()) return id.status();
    ESTATE_RETURN_IF_ERROR(
        follow(*id, std::string(kind == identity::kSerial ? "serial " : "asset_tag ") + value));
  }
  std::vector<std::pair<std::string_view, std::string>> exact;
  for (const auto& mac : row.macs) exact.emplace_back(identity::kMac, mac);
  if (auto host = ToLower(row.Get("hostname")); !host.empty()) {
    exact.emplace_back(host.find('.') != std::string::npos ? identity::kFqdn : identity::kHostname,
                       host);
  }
  for (const auto& [kind, value] : exact) {
    auto id = ctx_.batch.Get(Table::kIdentity, IdentityKey(kind, value));
    if (!id.ok()) return id.status();
    const std::string name = kind == identity::kMac ? "mac" : "hostname";
    ESTATE_RETURN_IF_ERROR(follow(*id, name + " " + value));
  }
  return found;
}

bool RegisterImporter::Fill(const ImportRow& row, bool created, v1::Asset* asset,
                            ImportOutcome* outcome) {
  auto refuse = [&](ImportOutcome::Action action, std::string why) {
    outcome->action = action;
    outcome->reason = std::move(why);
    return false;
  };
  const std::string cls = row.Get("class");
  if (!cls.empty()) {
    asset->set_asset_class(cls);
  } else if (asset->asset_class().empty()) {
    if (options_.default_class.empty()) {
      return refuse(ImportOutcome::Action::kError,
                    "class: none given; add a class (Category) column or --class CLASS");
    }
    asset->set_asset_class(options_.default_class);
  }
  std::string state = row.Get("state");
  if (state.empty() && asset->state().empty()) {
    // An asset the register assigns to someone, or discovery sees, is in use.
    state = created && row.Get("owner").empty() ? std::string(lifecycle::kInStock)
                                                : std::string(lifecycle::kDeployed);
  }
  if (!state.empty() && state != asset->state()) {
    if (Status s = lifecycle::CheckTransition(asset->state(), state); !s.ok()) {
      return refuse(ImportOutcome::Action::kError, "state: " + s.message());
    }
    asset->set_state(state);
  }
  asset->set_managed(true);
  // Discovery's fields: on an asset an agent or scanner reports, filled when
  // empty, and a different value kept (discovery reads the device) and said;
  // on one nothing discovers, the register is the only source: replaced.
  const bool discovered_by_a_source = asset->sources_size() > 0;
  const std::pair<const char*, std::string*> discovered[] = {
      {"hostname", asset->mutable_hostname()},
      {"vendor", asset->mutable_vendor()},
      {"model", asset->mutable_model()}};
  for (const auto& [field, value] : discovered) {
    const std::string incoming = row.Get(field);
    if (incoming.empty() || incoming == *value) continue;
    if (value->empty() || !discovered_by_a_source) {
      *value = incoming;
    } else if (ToLower(incoming) != ToLower(*value)) {
      outcome->kept.push_back(std::string(field) + ": the register says '" + incoming +
                              "', the asset has '" + *value + "' (kept)");
    }
  }
  if (const std::string serial = row.Get("serial"); !serial.empty()) {
    if (asset->serial().empty() ||
        (!discovered_by_a_source && ToLower(serial) != ToLower(asset->serial()))) {
      asset->set_serial(serial);
    } else if (ToLower(serial) != ToLower(asset->serial())) {
      return refuse(ImportOutcome::Action::kConflict, "serial: the register says '" + serial +
                                                          "', " + asset->id() + " has '" +
                                                          asset->serial() + "'");
    }
  }
  if (!row.macs.empty()) {
    if (asset->macs().empty() || !HasAgent(*asset)) {
      for (const auto& mac : row.macs) {
        if (std::find(asset->macs().begin(), asset->macs().end(), mac) == asset->macs().end()) {
          asset->add_macs(mac);
        }
      }
    } else {
      for (const auto& mac : row.macs) {
        if (std::find(asset->macs().begin(), asset->macs().end(), mac) == asset->macs().end()) {
          outcome->kept.push_back("macs: " + mac +
                                  " is not among the MACs its agent reports "
                                  "(not added)");
        }
      }
    }
  }
  for (const auto& [field, value] : row.values) {
    if (!IsAttribute(field)) continue;
    std::string stored = value;
    if (field == "owner") stored = Person(value, row.line);
    if (field == "location") stored = Location(value);
    (*asset->mutable_attributes())[field] = stored;
  }
  return true;
}

Result<ImportOutcome> RegisterImporter::Import(const ImportRow& row) {
  ImportOutcome outcome;
  outcome.line = row.line;
  auto matches = Match(row);
  if (!matches.ok()) return matches.status();
  if (matches->size() > 1) {
    std::string why =
        "the row's identifiers lead to " + std::to_string(matches->size()) + " assets:";
    for (const auto& [id, whats] : *matches) {
      why += " " + id + " (";
      for (size_t i = 0; i < whats.size(); ++i) why += (i ? ", " : "") + whats[i];
      why += ")";
    }
    outcome.action = ImportOutcome::Action::kConflict;
    outcome.reason = why + "; not guessed: correct the row, or merge the assets first";
    return outcome;
  }
  v1::Asset before, asset;
  const bool created = matches->empty();
  if (!created) {
    const std::string& id = matches->begin()->first;
    if (auto taken = taken_.find(id); taken != taken_.end()) {
      outcome.action = ImportOutcome::Action::kConflict;
      outcome.asset_id = id;
      outcome.reason =
          "leads to " + id + ", which line " + std::to_string(taken->second) + " imports already";
      return outcome;
    }
    auto loaded = LoadAsset(ctx_.batch, id);
    if (!loaded.ok()) return loaded.status();
    if (!loaded->has_value()) return Status::Corruption("asset " + id + " vanished");
    before = **loaded;
    asset = before;
    outcome.asset_id = id;
  } else if (const std::string id = row.Get("asset_id"); !id.empty()) {
    // An export of another collector: its ids mean nothing here.
    outcome.kept.push_back("asset_id: " + id + " is not in this store; a new id is given");
  }
  if (!Fill(row, created, &asset, &outcome)) return outcome;
  if (created) {
    // No asset holds the row's tag or serial in any case: Match asked the
    // index as CheckUniqueTagAndSerial does, and found none.
    auto id = AllocateAssetId(ctx_.batch);
    if (!id.ok()) return id.status();
    asset.set_id(*id);
    asset.set_first_seen(ctx_.now_s());
    outcome.asset_id = *id;
  }
  outcome.changes = DiffAdminFields(before, asset);
  taken_[asset.id()] = row.line;
  if (!created && outcome.changes.empty()) {
    outcome.action = ImportOutcome::Action::kUnchanged;
    return outcome;
  }
  std::vector<IdentityConflict> conflicts;
  ESTATE_RETURN_IF_ERROR(Reindex(ctx_.batch, before, asset, &conflicts));
  if (!conflicts.empty()) {
    // Matching found no other holder of these identifiers: the index and
    // the records disagree. Fail the whole import rather than write half.
    const auto& c = conflicts.front();
    return Status::Corruption("line " + std::to_string(row.line) + ": " + c.kind + " " + c.value +
                              " is indexed to " + c.owner + " but no row matched it there");
  }
  PutRecord(ctx_.batch, Table::kAssets, asset.id(), asset);
  v1::AssetEvent entry;
  entry.set_kind(created ? "imported" : "import_updated");
  entry.set_source("import:" + options_.file + ":" + std::to_string(row.line));
  entry.set_summary(std::string(created ? "created" : "updated") + " by " + ctx_.actor +
                    " from line " + std::to_string(row.line) + " of " + options_.file);
  for (const auto& c : outcome.changes) *entry.add_changes() = c;
  ctx_.events.History(ctx_.batch, asset, ctx_.now_micros, std::move(entry));
  outcome.action = created ? ImportOutcome::Action::kCreate : ImportOutcome::Action::kUpdate;
  return outcome;
}

}  // namespace estate::collector
