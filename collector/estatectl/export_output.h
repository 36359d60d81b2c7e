// Where `estatectl export` puts what the collector answered: a single asset's
// document, or with --all a JSON array of them, on standard output; or with
// --output-dir one file per asset, ASSET_ID.json, the layout glpi-injector
// --directory and GLPI's "Import from file" take (one inventory per file).
// Written here, with the caller's permissions, as backup paths are the caller's.
#ifndef ESTATE_COLLECTOR_ESTATECTL_EXPORT_OUTPUT_H_
#define ESTATE_COLLECTOR_ESTATECTL_EXPORT_OUTPUT_H_

#include <nlohmann/json.hpp>
#include <string>

#include "estate/status.h"

namespace estate::collector {

struct ExportOutput {
  std::string out;    // for standard output
  std::string notes;  // for standard error: skipped assets, files written
};

// `answer`: the export command's answer ({"inventories":[{"asset","inventory"}],
// "skipped":[...]}); `all`: --all was given; `output_dir`: empty for stdout.
Result<ExportOutput> WriteExport(const nlohmann::json& answer, bool all,
                                 const std::string& output_dir);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ESTATECTL_EXPORT_OUTPUT_H_
