// HostRoot: the directory every OS reader opens files under. "/" in production;
// a fixture tree such as tests/fixtures/roots/<machine>/ in tests, so that each
// reader runs the same code against a captured machine.
//
// Immutable and thread-safe.
#ifndef ESTATE_HOST_ROOT_H_
#define ESTATE_HOST_ROOT_H_

#include <string>
#include <string_view>
#include <vector>

#include "estate/status.h"

namespace estate {

class HostRoot {
 public:
  explicit HostRoot(std::string root = "/");

  // The absolute path of `path` (which starts with '/') under this root.
  std::string Path(std::string_view path) const;
  const std::string& root() const { return root_; }
  bool IsLiveSystem() const { return root_ == "/"; }

  // Whole-file reads; `max_bytes` guards against unbounded files (/proc, hostile fixtures).
  Result<std::string> ReadFile(std::string_view path, size_t max_bytes = 64u << 20) const;
  // The file's first line without the trailing newline and surrounding blanks.
  Result<std::string> ReadLine(std::string_view path) const;
  bool Exists(std::string_view path) const;
  // Entry names (not paths) of a directory, sorted, without "." and "..".
  Result<std::vector<std::string>> ListDir(std::string_view path) const;
  // Target of a symbolic link (as stored, not resolved).
  Result<std::string> ReadLink(std::string_view path) const;

 private:
  std::string root_;
};

}  // namespace estate

#endif  // ESTATE_HOST_ROOT_H_
