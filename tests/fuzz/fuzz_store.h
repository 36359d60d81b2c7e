// A collector store in a fresh temporary directory, for the fuzzers that
// drive the collector's apply and admin paths. Created once per fuzzer
// process; the directory is removed at exit. Nothing here touches the network.
#ifndef ESTATE_TESTS_FUZZ_FUZZ_STORE_H_
#define ESTATE_TESTS_FUZZ_FUZZ_STORE_H_

#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "collector/store/store.h"

namespace estate::fuzz {

class FuzzStore {
 public:
  FuzzStore() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "estate-fuzz-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) Die("mkdtemp failed");
    dir_ = tmpl;
    // A small cache: the fuzzer's store holds a handful of records.
    auto opened = collector::Store::Open({dir_ + "/db", 1u << 20});
    if (!opened.ok()) Die(opened.status().ToString());
    store_ = std::move(*opened);
  }
  ~FuzzStore() {
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  collector::Store& store() { return *store_; }
  const std::string& dir() const { return dir_; }

 private:
  [[noreturn]] static void Die(const std::string& why) {
    std::fprintf(stderr, "fuzz store: %s\n", why.c_str());
    std::abort();
  }
  std::string dir_;
  std::unique_ptr<collector::Store> store_;
};

// The fuzzer's collector (a type holding a FuzzStore and what runs over it)
// for the next input: a fresh one every `inputs_per_store` inputs, so the
// store stays small and an input never depends on thousands before it.
// Destroyed by an atexit handler registered after RocksDB's own statics exist
// (the first Open creates them), so the store closes before they go away.
template <typename Collector>
Collector& CollectorForNextInput(int inputs_per_store = 2000) {
  static std::unique_ptr<Collector> collector;
  static int inputs = 0;
  if (!collector || ++inputs % inputs_per_store == 0) {
    const bool first = !collector;
    collector.reset();  // the old store first: one RocksDB at a time
    collector = std::make_unique<Collector>();
    if (first) std::atexit([] { collector.reset(); });
  }
  return *collector;
}

}  // namespace estate::fuzz

#endif  // ESTATE_TESTS_FUZZ_FUZZ_STORE_H_
