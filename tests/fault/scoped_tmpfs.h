// ScopedTmpfs: a tmpfs of a fixed size mounted on a fresh directory for one
// test and unmounted (lazily, so a process still inside cannot keep it) when
// the object goes. Mounting needs CAP_SYS_ADMIN: without it `error()` says why.
#ifndef ESTATE_TESTS_FAULT_SCOPED_TMPFS_H_
#define ESTATE_TESTS_FAULT_SCOPED_TMPFS_H_

#include <cstdint>
#include <string>

namespace estate::fault {

class ScopedTmpfs {
 public:
  ScopedTmpfs(std::string dir, uint64_t bytes);
  ~ScopedTmpfs();
  ScopedTmpfs(const ScopedTmpfs&) = delete;
  ScopedTmpfs& operator=(const ScopedTmpfs&) = delete;

  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }
  const std::string& path() const { return dir_; }

  // Writes a file of `max_bytes`, or until the filesystem is full (ENOSPC);
  // its size in bytes.
  uint64_t Fill(const std::string& name, uint64_t max_bytes = UINT64_MAX);
  uint64_t FreeBytes() const;

 private:
  std::string dir_;
  bool mounted_ = false;
  std::string error_;
};

}  // namespace estate::fault

#endif  // ESTATE_TESTS_FAULT_SCOPED_TMPFS_H_
