#include "collector/estatectl/export_output.h"

#include <filesystem>
#include <fstream>

namespace estate::collector {
namespace {

// An asset id as a file name: ids are "A-000042", but nothing that came over
// a socket is trusted to be a plain name.
bool IsPlainName(const std::string& name) {
  if (name.empty() || name == "." || name == "..") return false;
  for (char c : name) {
    if (c == '/' || c == '\0') return false;
  }
  return true;
}

std::string Dump(const nlohmann::json& j) {
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace

Result<ExportOutput> WriteExport(const nlohmann::json& answer, bool all,
                                 const std::string& output_dir) {
  ExportOutput result;
  const nlohmann::json inventories = answer.value("inventories", nlohmann::json::array());
  for (const auto& skipped : answer.value("skipped", nlohmann::json::array())) {
    result.notes += "skipped " + skipped.value("asset", std::string()) + ": " +
                    skipped.value("reason", std::string()) + "\n";
  }
  if (output_dir.empty()) {
    if (!all && inventories.size() == 1) {
      result.out = Dump(inventories[0].at("inventory"));
    } else {
      nlohmann::json documents = nlohmann::json::array();
      for (const auto& entry : inventories) documents.push_back(entry.at("inventory"));
      result.out = Dump(documents);
    }
    return result;
  }
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(output_dir, ec);
  if (ec) return Status::IoError(output_dir + ": " + ec.message());
  for (const auto& entry : inventories) {
    const std::string id = entry.value("asset", std::string());
    if (!IsPlainName(id)) return Status::InvalidArgument("asset id '" + id + "' is no file name");
    const std::string path = (fs::path(output_dir) / (id + ".json")).string();
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << Dump(entry.at("inventory"));
    file.close();
    if (!file) return Status::IoError(path + ": cannot write");
  }
  result.notes +=
      "wrote " + std::to_string(inventories.size()) + " inventories to " + output_dir + "\n";
  return result;
}

}  // namespace estate::collector
