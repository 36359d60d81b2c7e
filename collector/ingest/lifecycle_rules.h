// The lifecycle business rules that depend on time passing rather than on a
// report: a managed asset not seen for the configured period is missing; a
// check-out past its due date is overdue. Each fires once (until the asset is
// seen again or checked in). Candidates are found by a read-only scan; only
// those are re-checked and changed on the writer thread.
#ifndef ESTATE_COLLECTOR_INGEST_LIFECYCLE_RULES_H_
#define ESTATE_COLLECTOR_INGEST_LIFECYCLE_RULES_H_

#include <nlohmann/json.hpp>
#include <string>

#include "collector/ingest/ingestor.h"
#include "collector/store/store.h"

namespace estate::collector {

// Returns {"missing": N, "overdue": M} raised in this run.
Result<nlohmann::json> RunLifecycleRules(Store& store, Ingestor& ingestor,
                                         const std::string& actor);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_INGEST_LIFECYCLE_RULES_H_
