// RegisterImporter: brings checked rows of a register (register_import.h)
// into the store inside one admin change on the ingest writer thread. Each
// row is matched to the asset its identifiers lead to — asset id, asset tag
// and serial in any case, MACs, host name — and creates an asset (none
// matches), updates it, or leaves it unchanged (a second import of one file).
// Identifiers that lead to two assets, or to an asset another row already
// took, are a conflict: reported, never guessed. People named as owners are
// matched by any spelling or created; locations are matched in any case
// against those already recorded, so "hq/b2" joins "HQ/B2". Everything lands
// in the caller's batch; the caller commits or rolls it back, so an import is
// all or nothing. Used on one thread.
#ifndef ESTATE_COLLECTOR_ADMIN_REGISTER_IMPORTER_H_
#define ESTATE_COLLECTOR_ADMIN_REGISTER_IMPORTER_H_

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "collector/admin/register_import.h"
#include "collector/reconcile/reconcile_context.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {

struct ImportOptions {
  std::string file;           // as the admin named it: the history's source is import:<file>:<line>
  std::string default_class;  // for rows without one (--class); empty: such a row is refused
};

// What happened to one row.
struct ImportOutcome {
  enum class Action { kCreate, kUpdate, kUnchanged, kConflict, kError };
  Action action = Action::kError;
  size_t line = 0;
  std::string asset_id;
  std::string reason;  // kConflict, kError
  std::vector<v1::FieldChange> changes;
  std::vector<std::string> kept;  // "hostname: the register says pc-1, discovery pc-01 (kept)"
};
const char* ActionName(ImportOutcome::Action action);

class RegisterImporter {
 public:
  // `locations`: the spellings of the locations assets hold now (read before
  // the change, from the store).
  RegisterImporter(ReconcileContext& ctx, ImportOptions options,
                   const std::vector<std::string>& locations);

  // Reads the people records; call once before Import.
  Status Start();

  // Matches and writes one row into the batch. A conflict or a refused row
  // writes nothing; a store failure is the Status.
  Result<ImportOutcome> Import(const ImportRow& row);

  const std::vector<std::string>& people_created() const { return people_created_; }
  const std::vector<std::string>& locations_created() const { return locations_created_; }
  uint64_t people_matched() const { return people_matched_; }
  uint64_t locations_matched() const { return locations_matched_; }

 private:
  // The asset ids the row's identifiers lead to, each with what led there.
  Result<std::map<std::string, std::vector<std::string>>> Match(const ImportRow& row);
  // The owner as the person record spells it, creating the record when new.
  std::string Person(const std::string& who, size_t line);
  std::string Location(const std::string& path);
  // Applies the row's values over `asset`; an error outcome's reason in *why.
  bool Fill(const ImportRow& row, bool created, v1::Asset* asset, ImportOutcome* outcome);

  ReconcileContext& ctx_;
  ImportOptions options_;
  std::map<std::string, std::string> locations_;  // lower case -> spelling
  std::map<std::string, std::string> people_;     // any spelling, lower case -> name
  std::map<std::string, size_t> taken_;           // asset id -> line that imported it
  std::vector<std::string> people_created_, locations_created_;
  std::set<std::string> people_seen_, locations_seen_;
  uint64_t people_matched_ = 0, locations_matched_ = 0;
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_REGISTER_IMPORTER_H_
