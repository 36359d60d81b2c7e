#include "collector/store/private_dir.h"

#include <sys/stat.h>

#include <cerrno>
#include <filesystem>

namespace estate::collector {
namespace {

// Removes group and other bits from one entry; false when it cannot.
bool Tighten(const std::string& path, const struct stat& st) {
  const mode_t allowed = S_ISDIR(st.st_mode) ? kPrivateDirMode : kPrivateFileMode;
  const mode_t mode = st.st_mode & 07777;
  if ((mode & ~allowed) == 0) return true;
  return ::chmod(path.c_str(), mode & allowed) == 0;
}

}  // namespace

Status CreatePrivateDir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory(dir, ec)) return Status::Ok();
  const fs::path parent = fs::path(dir).parent_path();
  if (!parent.empty() && !fs::exists(parent, ec)) {
    fs::create_directories(parent, ec);
    if (ec) return Status::IoError("cannot create " + parent.string() + ": " + ec.message());
  }
  if (::mkdir(dir.c_str(), kPrivateDirMode) != 0 && errno != EEXIST) {
    return Status::FromErrno("cannot create " + dir, errno);
  }
  // mkdir's mode passes through the umask, which can only narrow it; set it
  // outright all the same, so the mode does not depend on the caller.
  if (::chmod(dir.c_str(), kPrivateDirMode) != 0) return Status::FromErrno("chmod " + dir, errno);
  return Status::Ok();
}

Status MakePrivate(const std::string& dir, std::vector<std::string>* not_tightened) {
  namespace fs = std::filesystem;
  auto visit = [&](const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return;  // gone meanwhile (RocksDB deletes files)
    if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) return;
    if (!Tighten(path, st) && not_tightened != nullptr) not_tightened->push_back(path);
  };
  struct stat top {};
  if (::lstat(dir.c_str(), &top) != 0) return Status::FromErrno("stat " + dir, errno);
  visit(dir);
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    visit(it->path().string());
  }
  if (ec) return Status::IoError("cannot list " + dir + ": " + ec.message());
  return Status::Ok();
}

}  // namespace estate::collector
