#include "tests/collector/connection_flood.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

namespace estate::testing {

ConnectionFlood::ConnectionFlood(uint16_t port, bool tls) : port_(port), tls_(tls) {
  if (tls_) {
    context_ = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_verify(context_, SSL_VERIFY_NONE, nullptr);
    // A collector that refuses a connection closes it mid-handshake: a close,
    // not a protocol error.
    SSL_CTX_set_options(context_, SSL_OP_IGNORE_UNEXPECTED_EOF);
    // ... and OpenSSL's writes to a closed socket must not kill this process.
    ::signal(SIGPIPE, SIG_IGN);
  }
}

ConnectionFlood::~ConnectionFlood() {
  for (auto& c : connections_) {
    if (c.ssl != nullptr) SSL_free(c.ssl);
    if (c.fd >= 0) ::close(c.fd);
  }
  if (context_ != nullptr) SSL_CTX_free(context_);
}

Status ConnectionFlood::Open(size_t count, std::string_view bytes) {
  for (size_t i = 0; i < count; ++i) {
    Connection c;
    c.fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (c.fd < 0) return Status::IoError(std::string("socket: ") + std::strerror(errno));
    connections_.push_back(c);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port_);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // loopback only
    if (::connect(c.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      return Status::IoError(std::string("connect: ") + std::strerror(errno));
    }
    timeval tv{10, 0};
    ::setsockopt(c.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(c.fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (tls_) {
      c.ssl = SSL_new(context_);
      connections_.back().ssl = c.ssl;
      SSL_set_fd(c.ssl, c.fd);
      const int result = SSL_connect(c.ssl);
      if (result != 1) {
        const int reason = SSL_get_error(c.ssl, result);
        ERR_clear_error();
        // A close (or reset) before the handshake's end: refused.
        if (reason == SSL_ERROR_SYSCALL || reason == SSL_ERROR_ZERO_RETURN) {
          SSL_free(c.ssl);
          ::close(c.fd);
          connections_.pop_back();
          ++refused_;
          continue;
        }
        return Status::IoError("TLS handshake failed (SSL error " + std::to_string(reason) + ")");
      }
      if (SSL_write(c.ssl, bytes.data(), static_cast<int>(bytes.size())) <= 0) {
        ERR_clear_error();
        return Status::IoError("TLS write failed");
      }
    } else if (::send(c.fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) !=
               static_cast<ssize_t>(bytes.size())) {
      return Status::IoError(std::string("send: ") + std::strerror(errno));
    }
  }
  return Status::Ok();
}

size_t ConnectionFlood::CountClosed(std::vector<std::string>* answers) {
  size_t closed = 0;
  for (auto& c : connections_) {
    std::string got;
    char buf[4096];
    bool eof = false;
    for (;;) {
      ssize_t n;
      if (c.ssl != nullptr) {
        // Only what is already here: a connection still open must not block
        // (records without data, such as session tickets, would).
        ::fcntl(c.fd, F_SETFL, ::fcntl(c.fd, F_GETFL) | O_NONBLOCK);
        n = SSL_read(c.ssl, buf, sizeof buf);
        if (n <= 0) {
          const int reason = SSL_get_error(c.ssl, static_cast<int>(n));
          ERR_clear_error();
          if (reason == SSL_ERROR_WANT_READ || reason == SSL_ERROR_WANT_WRITE) break;
        }
      } else {
        n = ::recv(c.fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
      }
      if (n <= 0) {
        eof = true;
        break;
      }
      got.append(buf, static_cast<size_t>(n));
    }
    if (eof) ++closed;
    if (answers != nullptr && !got.empty()) answers->push_back(std::move(got));
  }
  return closed;
}

uint64_t ResidentKb(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtoull(line.c_str() + 6, nullptr, 10);
  }
  return 0;
}

size_t RaiseOpenFileLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);
  ::getrlimit(RLIMIT_NOFILE, &limit);
  return limit.rlim_cur;
}

}  // namespace estate::testing
