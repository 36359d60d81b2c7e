// TempDir: a fresh directory under $TMPDIR removed (recursively) at scope exit.
#ifndef ESTATE_TESTS_AGENT_TEMP_DIR_H_
#define ESTATE_TESTS_AGENT_TEMP_DIR_H_

#include <cstdlib>
#include <filesystem>
#include <string>

namespace estate::agent::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "estate-agent-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace estate::agent::testing

#endif  // ESTATE_TESTS_AGENT_TEMP_DIR_H_
