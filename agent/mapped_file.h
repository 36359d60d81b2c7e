// MappedFile: a read-only, pre-faulted memory map of a whole regular file.
// For the few large files the agent parses on every run (dpkg status,
// pci.ids): one mmap with MAP_POPULATE costs far less than growing a heap
// buffer through read(), whose page faults dominate a short-lived process.
// Movable, not copyable; the view is valid while the object lives.
#ifndef ESTATE_AGENT_MAPPED_FILE_H_
#define ESTATE_AGENT_MAPPED_FILE_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "estate/status.h"

namespace estate::agent {

class MappedFile {
 public:
  // NotFound, PermissionDenied... as Status::FromErrno; an empty file maps to "".
  static Result<MappedFile> Open(const std::string& path);

  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::string_view data() const { return std::string_view(static_cast<const char*>(addr_), size_); }

 private:
  MappedFile(void* addr, size_t size) : addr_(addr), size_(size) {}

  void* addr_ = nullptr;
  size_t size_ = 0;
};

}  // namespace estate::agent

#endif  // ESTATE_AGENT_MAPPED_FILE_H_
