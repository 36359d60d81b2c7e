// A directory that exists for one test and is removed after it.
#ifndef ESTATE_TESTS_COLLECTOR_TEMP_DIR_H_
#define ESTATE_TESTS_COLLECTOR_TEMP_DIR_H_

#include <stdlib.h>

#include <filesystem>
#include <string>

namespace estate {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "estate-test-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace estate

#endif  // ESTATE_TESTS_COLLECTOR_TEMP_DIR_H_
