#include "agent/durable_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>

namespace estate::agent {
namespace {

Status WriteAll(int fd, std::string_view content, const std::string& path) {
  while (!content.empty()) {
    ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::FromErrno("write " + path, errno);
    }
    content.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

Status SyncDirectoryOf(const std::string& path) {
  size_t slash = path.rfind('/');
  const std::string dir =
      slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::FromErrno("open " + dir, errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  return rc == 0 ? Status::Ok() : Status::FromErrno("fsync " + dir, err);
}

}  // namespace

Status WriteFileDurably(const std::string& path, std::string_view content) {
  const std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::FromErrno("open " + tmp, errno);
  Status st = WriteAll(fd, content, tmp);
  if (st.ok() && ::fsync(fd) != 0) st = Status::FromErrno("fsync " + tmp, errno);
  ::close(fd);
  if (!st.ok()) return st;
  if (::rename(tmp.c_str(), path.c_str()) != 0) return Status::FromErrno("rename " + tmp, errno);
  return SyncDirectoryOf(path);
}

Status AppendFileDurably(const std::string& path, std::string_view content) {
  return AppendFile(path, content, true);
}

Status AppendFile(const std::string& path, std::string_view content, bool sync) {
  // A new file's directory entry must reach the disk too.
  const bool existed = ::access(path.c_str(), F_OK) == 0;
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return Status::FromErrno("open " + path, errno);
  Status st = WriteAll(fd, content, path);
  if (st.ok() && sync && ::fdatasync(fd) != 0) st = Status::FromErrno("fdatasync " + path, errno);
  ::close(fd);
  if (st.ok() && sync && !existed) st = SyncDirectoryOf(path);
  return st;
}

Status TruncateFileDurably(const std::string& path, uint64_t size) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return Status::FromErrno("open " + path, errno);
  Status st;
  if (::ftruncate(fd, static_cast<off_t>(size)) != 0) {
    st = Status::FromErrno("truncate " + path, errno);
  } else if (::fdatasync(fd) != 0) {
    st = Status::FromErrno("fdatasync " + path, errno);
  }
  ::close(fd);
  return st;
}

uint32_t Crc32(std::string_view data, uint32_t previous) {
  static const std::array<uint32_t, 256> kTable = [] {
    std::array<uint32_t, 256> table{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      table[i] = c;
    }
    return table;
  }();
  uint32_t crc = previous ^ 0xFFFFFFFFu;
  for (unsigned char byte : data) crc = kTable[(crc ^ byte) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

}  // namespace estate::agent
