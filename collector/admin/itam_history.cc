#include "collector/admin/itam_history.h"

#include <set>

#include "collector/admin/admin_args.h"
#include "collector/reconcile/event_recorder.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "estate/proto_json.h"

namespace estate::collector {
namespace {

std::string Text(const nlohmann::json& j, const std::string& key) {
  if (!j.contains(key)) return "";
  return j.at(key).is_string() ? j.at(key).get<std::string>() : j.at(key).dump();
}

}  // namespace

nlohmann::json RecordItamChange(ReconcileContext& ctx, const std::string& kind,
                                const std::string& id, const std::string& event_kind,
                                const std::string& summary, const google::protobuf::Message& before,
                                const google::protobuf::Message& after) {
  const nlohmann::json b = ProtoToJson(before), a = ProtoToJson(after);
  std::set<std::string> keys;
  for (const auto& [k, v] : b.items()) keys.insert(k);
  for (const auto& [k, v] : a.items()) keys.insert(k);
  v1::AssetEvent entry;
  entry.set_at(ctx.now_s());
  entry.set_kind(event_kind);
  entry.set_source(ctx.actor);
  entry.set_summary(summary);
  entry.set_severity("info");
  nlohmann::json changes = nlohmann::json::array();
  for (const auto& k : keys) {
    if (k == "added_at" || k == "added_by" || k == "id") continue;
    const std::string bv = Text(b, k), av = Text(a, k);
    if (bv == av) continue;
    auto* c = entry.add_changes();
    c->set_field(k);
    c->set_before(bv);
    c->set_after(av);
    changes.push_back({{"field", k}, {"before", bv}, {"after", av}});
  }
  v1::Event event;
  event.set_kind(event_kind);
  event.set_severity("info");
  event.set_source(ctx.actor);
  event.set_summary(summary);
  *event.mutable_changes() = entry.changes();
  // One change per record per command: the micros alone order them.
  PutRecord(ctx.batch, Table::kHistory, HistoryKey(kind + ":" + id, ctx.now_micros, 0), entry);
  ctx.events.Raise(ctx.batch, nullptr, ctx.now_micros, std::move(event));
  return changes;
}

Result<nlohmann::json> ItamHistory(Store& store, const std::string& kind, const std::string& id) {
  nlohmann::json history = nlohmann::json::array();
  ESTATE_RETURN_IF_ERROR(store.Scan(Table::kHistory, HistoryPrefix(kind + ":" + id),
                                    [&](std::string_view, std::string_view v) {
                                      v1::AssetEvent e;
                                      if (e.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
                                        nlohmann::json j = ProtoToJson(e);
                                        j["at"] = FormatTime(e.at());
                                        history.push_back(std::move(j));
                                      }
                                      return true;
                                    }));
  return history;
}

}  // namespace estate::collector
