#include "collector/estatectl/import_source.h"

#include <sys/wait.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "collector/admin/register_import.h"
#include "collector/inventory/body_codec.h"

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

Result<std::string> ReadStandardInput() {
  std::string text;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0) {
    text.append(buf, n);
    if (text.size() > kMaxImportBytes) {
      return Status::InvalidArgument("standard input: more than 16 MiB; split it");
    }
  }
  if (std::ferror(stdin)) return Status::InvalidArgument("standard input: read error");
  return text;
}

Result<std::string> ReadRegisterFile(const std::string& path) {
  const std::string limit = std::to_string(kMaxImportFileBytes >> 20) + " MiB";
  const std::string split =
      ": an import is one all-or-nothing write and takes at most " + limit +
      " (about 400,000 rows); split the file and import the parts (each part is all or "
      "nothing, and import is idempotent, so a part can be run again)";
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > kMaxImportFileBytes) {
    return Status::InvalidArgument(path + ": " + std::to_string(size >> 20) + " MiB" + split);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument(path + ": " + std::strerror(errno));
  // In pieces, so a pipe or a file that grows is stopped at the limit.
  std::string text;
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxImportFileBytes) {
      return Status::InvalidArgument(path + ": more than " + limit + split);
    }
  }
  if (in.bad()) return Status::InvalidArgument(path + ": read error");
  auto compressed = EncodeBody(text, BodyEncoding::kZlib);
  if (!compressed.ok()) return compressed.status();
  if (compressed->size() > kMaxImportBytes) {
    return Status::InvalidArgument(path + ": " + std::to_string(compressed->size() >> 20) +
                                   " MiB even compressed, more than a request takes (16 MiB)" +
                                   split);
  }
  return std::move(*compressed);
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
