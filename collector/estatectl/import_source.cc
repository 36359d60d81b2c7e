#include "collector/estatectl/import_source.h"

#include <sys/wait.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace estate::collector {
namespace {

// What the admin socket takes in one request, less room for the rest of it.
constexpr size_t kMaxImportBytes = (16u << 20) - 4096;

}  // namespace

Result<std::string> ReadImportFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument(path + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::InvalidArgument(path + ": read error");
  if (text.str().size() > kMaxImportBytes) {
    return Status::InvalidArgument(path + ": larger than 16 MiB; split it into several imports");
  }
  return text.str();
}

Result<std::string> RunGetentPasswd() {
  FILE* pipe = ::popen("getent passwd", "r");
  if (pipe == nullptr) {
    return Status::IoError(std::string("cannot run getent: ") + std::strerror(errno));
  }
  std::string text;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) text.append(buf, n);
  const int status = ::pclose(pipe);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Status::IoError("getent passwd failed (exit status " +
                           std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")");
  }
  if (text.size() > kMaxImportBytes) {
    return Status::InvalidArgument("getent passwd printed more than 16 MiB");
  }
  return text;
}

Result<std::string> ReadSecretLine(std::FILE* in) {
  std::string line;
  for (int c; (c = std::fgetc(in)) != EOF && c != '\n';) {
    if (line.size() > 1024) return Status::InvalidArgument("the password is over 1024 bytes");
    line.push_back(static_cast<char>(c));
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) return Status::InvalidArgument("no password on standard input");
  return line;
}

}  // namespace estate::collector
