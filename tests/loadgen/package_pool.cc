#include "tests/loadgen/package_pool.h"

#include <cstdlib>

#include "estate/text.h"

namespace estate::loadgen {

// Generated from data/bookworm_packages.tsv by embed_text.cmake.
extern const char kBookwormPackagesTsv[];

Result<std::vector<PoolPackage>> ParsePackagePool(std::string_view tsv) {
  std::vector<PoolPackage> pool;
  size_t line_number = 0;
  for (std::string_view line : Split(tsv, '\n')) {
    ++line_number;
    if (Trim(line).empty()) continue;
    auto fields = Split(line, '\t');
    const std::string where = "package pool line " + std::to_string(line_number);
    if (fields.size() != 7)
      return Status::InvalidArgument(where + ": needs 7 tab-separated fields");
    auto kib = ParseUint(fields[4]);
    if (fields[0].empty() || fields[1].empty() || !kib || (fields[6] != "0" && fields[6] != "1")) {
      return Status::InvalidArgument(where + ": bad name, version, size or core flag");
    }
    PoolPackage p;
    p.name = std::string(fields[0]);
    p.version = std::string(fields[1]);
    p.architecture = std::string(fields[2]);
    p.source_package = std::string(fields[3]);
    p.installed_bytes = *kib * 1024;
    p.maintainer = std::string(fields[5]);
    p.core = fields[6] == "1";
    if (!pool.empty() && !(pool.back().name < p.name)) {
      return Status::InvalidArgument(where + ": '" + p.name + "' is out of name order");
    }
    pool.push_back(std::move(p));
  }
  if (pool.empty()) return Status::InvalidArgument("package pool is empty");
  return pool;
}

const std::vector<PoolPackage>& BuiltinPackagePool() {
  static const std::vector<PoolPackage> pool = [] {
    auto parsed = ParsePackagePool(kBookwormPackagesTsv);
    // The data is compiled in and checked by a unit test: failing here is a build defect.
    if (!parsed.ok()) std::abort();
    return std::move(parsed).value();
  }();
  return pool;
}

}  // namespace estate::loadgen
