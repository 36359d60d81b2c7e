#include "collector/estatectl/admin_client.h"

#include <grp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "estate/framing.h"

namespace estate::collector {
namespace {

constexpr uint32_t kMaxResponseBytes = 1u << 30;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

Status WriteAll(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::FromErrno("writing to the collector", errno);
    }
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status ReadAll(int fd, char* out, size_t size) {
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::recv(fd, out + done, size - done, 0);
    if (n == 0) return Status::Unavailable("the collector closed the connection");
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) return Status::Unavailable("the collector did not answer in time");
      return Status::FromErrno("reading from the collector", errno);
    }
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

// The socket (mode 0660) or a directory above it keeps this user out: say
// which group lets users in.
Status NoAccess(const std::string& socket_path) {
  std::string group = "its group";
  struct stat st {};
  if (::stat(socket_path.c_str(), &st) == 0) {
    struct group gr {};
    struct group* found = nullptr;
    char buf[4096];
    group = "group ";
    group += ::getgrgid_r(st.st_gid, &gr, buf, sizeof buf, &found) == 0 && found != nullptr
                 ? found->gr_name
                 : std::to_string(st.st_gid);
  }
  return Status::PermissionDenied("permission denied: cannot connect to " + socket_path +
                                  "; only root and members of " + group +
                                  " may use the admin socket (estated.conf admin_group)");
}

}  // namespace

Result<v1::AdminResponse> CallAdmin(const std::string& socket_path, const v1::AdminRequest& request,
                                    int timeout_seconds) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socket_path.size() >= sizeof addr.sun_path) {
    return Status::InvalidArgument("socket path too long: " + socket_path);
  }
  std::memcpy(addr.sun_path, socket_path.c_str(), socket_path.size() + 1);
  Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) return Status::FromErrno("socket", errno);
  timeval tv{timeout_seconds, 0};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    const int err = errno;
    if (err == ENOENT || err == ECONNREFUSED) {
      return Status::Unavailable("no collector is running at " + socket_path +
                                 " (start estated, or pass --socket PATH)");
    }
    if (err == EACCES) return NoAccess(socket_path);
    return Status::FromErrno("connecting to " + socket_path, err);
  }
  auto frame = EncodeFrame(request);
  if (!frame.ok()) return frame.status();
  ESTATE_RETURN_IF_ERROR(WriteAll(fd.get(), *frame));
  char header[kFrameHeaderBytes];
  ESTATE_RETURN_IF_ERROR(ReadAll(fd.get(), header, sizeof header));
  auto length = DecodeFrameHeader(std::string_view(header, sizeof header), kMaxResponseBytes);
  if (!length.ok()) return length.status();
  std::string payload(*length, '\0');
  ESTATE_RETURN_IF_ERROR(ReadAll(fd.get(), payload.data(), payload.size()));
  v1::AdminResponse response;
  ESTATE_RETURN_IF_ERROR(DecodeFramePayload(payload, &response));
  return response;
}

}  // namespace estate::collector
