// The history of licences and contracts: each change is an entry in the
// history table under "<kind>:<id>" (beside the assets' histories, which no
// such id can collide with) and an event in the event log, with the fields
// that changed. Writer thread only (through a ReconcileContext).
#ifndef ESTATE_COLLECTOR_ADMIN_ITAM_HISTORY_H_
#define ESTATE_COLLECTOR_ADMIN_ITAM_HISTORY_H_

#include <google/protobuf/message.h>

#include <nlohmann/json.hpp>
#include <string>

#include "collector/reconcile/reconcile_context.h"
#include "collector/store/store.h"

namespace estate::collector {

// Records that record `kind` `id` changed from `before` to `after` (an empty
// message: none) with event kind `event_kind`; returns the changed fields.
nlohmann::json RecordItamChange(ReconcileContext& ctx, const std::string& kind,
                                const std::string& id, const std::string& event_kind,
                                const std::string& summary, const google::protobuf::Message& before,
                                const google::protobuf::Message& after);

// The entries recorded for `kind` `id`, oldest first.
Result<nlohmann::json> ItamHistory(Store& store, const std::string& kind, const std::string& id);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_ITAM_HISTORY_H_
