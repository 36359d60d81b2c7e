#include "estate/host_root.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace estate {

HostRoot::HostRoot(std::string root) : root_(std::move(root)) {
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
  if (root_.empty()) root_ = "/";
}

std::string HostRoot::Path(std::string_view path) const {
  if (root_ == "/") return std::string(path);
  std::string out = root_;
  if (path.empty() || path.front() != '/') out += '/';
  out += path;
  return out;
}

Result<std::string> HostRoot::ReadFile(std::string_view path, size_t max_bytes) const {
  const std::string full = Path(path);
  int fd = ::open(full.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::FromErrno("open " + full, errno);
  std::string out;
  char buf[16384];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return Status::FromErrno("read " + full, err);
    }
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > max_bytes) {
      ::close(fd);
      return Status::ResourceExhausted(full + " is larger than " + std::to_string(max_bytes) +
                                       " bytes");
    }
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

Result<std::string> HostRoot::ReadLine(std::string_view path) const {
  auto content = ReadFile(path, 1 << 20);
  if (!content.ok()) return content.status();
  std::string_view s = *content;
  s = s.substr(0, s.find('\n'));
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return std::string(s);
}

bool HostRoot::Exists(std::string_view path) const {
  struct stat st;
  return ::stat(Path(path).c_str(), &st) == 0;
}

Result<std::vector<std::string>> HostRoot::ListDir(std::string_view path) const {
  const std::string full = Path(path);
  DIR* dir = ::opendir(full.c_str());
  if (dir == nullptr) return Status::FromErrno("opendir " + full, errno);
  std::vector<std::string> names;
  while (struct dirent* entry = ::readdir(dir)) {
    std::string_view name = entry->d_name;
    if (name == "." || name == "..") continue;
    names.emplace_back(name);
  }
  ::closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

Result<std::string> HostRoot::ReadLink(std::string_view path) const {
  const std::string full = Path(path);
  char buf[4096];
  ssize_t n = ::readlink(full.c_str(), buf, sizeof buf - 1);
  if (n < 0) return Status::FromErrno("readlink " + full, errno);
  return std::string(buf, static_cast<size_t>(n));
}

}  // namespace estate
