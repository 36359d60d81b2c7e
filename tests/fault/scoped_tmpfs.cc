#include "tests/fault/scoped_tmpfs.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace estate::fault {

ScopedTmpfs::ScopedTmpfs(std::string dir, uint64_t bytes) : dir_(std::move(dir)) {
  if (::mkdir(dir_.c_str(), 0700) != 0 && errno != EEXIST) {
    error_ = "mkdir " + dir_ + ": " + std::strerror(errno);
    return;
  }
  const std::string options = "size=" + std::to_string(bytes) + ",mode=0700";
  if (::mount("estate-fault", dir_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) != 0) {
    error_ = "mount -t tmpfs on " + dir_ + ": " + std::strerror(errno);
    return;
  }
  mounted_ = true;
}

ScopedTmpfs::~ScopedTmpfs() {
  if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
  ::rmdir(dir_.c_str());
}

uint64_t ScopedTmpfs::Fill(const std::string& name, uint64_t max_bytes) {
  const std::string path = dir_ + "/" + name;
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return 0;
  std::vector<char> block(64 * 1024, 'x');
  uint64_t written = 0;
  // Big blocks first, then single pages, so that not even a page stays free.
  for (size_t size : {block.size(), size_t{4096}, size_t{512}}) {
    while (written + size <= max_bytes) {
      ssize_t n = ::write(fd, block.data(), size);
      if (n <= 0) break;
      written += static_cast<uint64_t>(n);
    }
  }
  ::close(fd);
  return written;
}

uint64_t ScopedTmpfs::FreeBytes() const {
  struct statvfs st {};
  if (::statvfs(dir_.c_str(), &st) != 0) return 0;
  return static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
}

}  // namespace estate::fault
