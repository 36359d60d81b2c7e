// tls_state_bench: what OpenSSL holds for one server connection of the
// collector, counted with OpenSSL's own allocation hooks — the floor under
// any TLS connection's memory (docs/architecture.md, "Memory before
// authentication"). Makes N server connections over socketpairs with the
// collector's context settings (TLS 1.2+, no renegotiation, released record
// buffers), the client side in a child process, and prints the bytes OpenSSL
// keeps allocated per connection after SSL_new, while the handshake waits
// for the client's Finished, and after the handshake and one 4-byte record,
// then the allocation sites that hold them.
//   tls_state_bench --cert collector.pem --key collector-key.pem
//                   [--connections 1000] [--keep-buffers] [--tls12]
// (`estatectl pki init DIR` makes a certificate and key.)
#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

struct Allocation {
  size_t size;
  const char* file;
  int line;
};

// Live allocations made while `tracking` is set; the map's own allocations
// (plain malloc) are not counted.
std::unordered_map<void*, Allocation>* live = nullptr;
bool tracking = false;

void* TrackedMalloc(size_t n, const char* file, int line) {
  void* p = std::malloc(n);
  if (tracking && p != nullptr) (*live)[p] = {n, file, line};
  return p;
}
void TrackedFree(void* p, const char*, int) {
  if (p != nullptr) live->erase(p);
  std::free(p);
}
void* TrackedRealloc(void* old, size_t n, const char* file, int line) {
  if (old != nullptr) live->erase(old);
  void* p = std::realloc(old, n);
  if (tracking && p != nullptr) (*live)[p] = {n, file, line};
  return p;
}

size_t LiveBytes() {
  size_t total = 0;
  for (const auto& [p, a] : *live) total += a.size;
  return total;
}

int Usage() {
  std::fputs(
      "usage: tls_state_bench --cert PEM --key PEM [--connections N] [--keep-buffers] "
      "[--tls12]\n",
      stderr);
  return 2;
}

// Runs `step` on `ssl` until it returns 1 or `done` says the state is reached.
template <typename Step, typename Done>
bool Drive(SSL* ssl, Step step, Done done) {
  for (int tries = 0; tries < 200000; ++tries) {
    const int result = step(ssl);
    if (result == 1 || done(ssl)) return true;
    const int reason = SSL_get_error(ssl, result);
    if (reason != SSL_ERROR_WANT_READ && reason != SSL_ERROR_WANT_WRITE) return false;
    ::usleep(20);
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  live = new std::unordered_map<void*, Allocation>();
  // Before OpenSSL allocates anything.
  CRYPTO_set_mem_functions(TrackedMalloc, TrackedRealloc, TrackedFree);
  std::string cert, key;
  size_t count = 1000;
  bool release_buffers = true, tls12 = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const char* value = i + 1 < argc ? argv[i + 1] : nullptr;
    if (arg == "--keep-buffers") {
      release_buffers = false;
    } else if (arg == "--tls12") {
      tls12 = true;
    } else if (value != nullptr && arg == "--cert") {
      cert = value, ++i;
    } else if (value != nullptr && arg == "--key") {
      key = value, ++i;
    } else if (value != nullptr && arg == "--connections") {
      count = std::strtoul(value, nullptr, 10), ++i;
    } else {
      return Usage();
    }
  }
  if (cert.empty() || key.empty() || count == 0) return Usage();

  // As collector/net/tls_server.cc and tls_socket.cc.
  SSL_CTX* server = SSL_CTX_new(TLS_server_method());
  SSL_CTX_set_min_proto_version(server, TLS1_2_VERSION);
  SSL_CTX_set_options(server, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (release_buffers) SSL_CTX_set_mode(server, SSL_MODE_RELEASE_BUFFERS);
  if (SSL_CTX_use_certificate_chain_file(server, cert.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(server, key.c_str(), SSL_FILETYPE_PEM) != 1) {
    std::fprintf(stderr, "cannot load %s / %s\n", cert.c_str(), key.c_str());
    return 1;
  }
  SSL_CTX* client = SSL_CTX_new(TLS_client_method());
  if (tls12) SSL_CTX_set_max_proto_version(client, TLS1_2_VERSION);

  std::vector<int> server_fds(count), client_fds(count);
  for (size_t i = 0; i < count; ++i) {
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0) {
      std::perror("socketpair (raise the descriptor limit)");
      return 1;
    }
    server_fds[i] = pair[0];
    client_fds[i] = pair[1];
  }
  const pid_t child = ::fork();
  if (child == 0) {
    // The client: one handshake after the other, then a frame header.
    for (int fd : server_fds) ::close(fd);
    for (int fd : client_fds) {
      SSL* ssl = SSL_new(client);
      SSL_set_fd(ssl, fd);
      const char header[4] = {0, 1, 0, 0};
      if (SSL_connect(ssl) != 1 || SSL_write(ssl, header, 4) != 4) _exit(1);
    }
    ::pause();
    _exit(0);
  }
  for (int fd : client_fds) ::close(fd);

  std::vector<SSL*> ssls(count);
  const size_t base = LiveBytes();
  tracking = true;
  auto report = [&](const char* stage) {
    std::printf("%-42s %8.0f bytes per connection\n", stage,
                static_cast<double>(LiveBytes() - base) / count);
  };
  for (size_t i = 0; i < count; ++i) {
    ::fcntl(server_fds[i], F_SETFL, O_NONBLOCK);
    ssls[i] = SSL_new(server);
    SSL_set_fd(ssls[i], server_fds[i]);
    SSL_set_mode(ssls[i], SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    SSL_set_accept_state(ssls[i]);
  }
  report("after SSL_new");
  bool ok = true;
  for (SSL* ssl : ssls) {
    ok = ok &&
         Drive(ssl, SSL_do_handshake, [](SSL* s) { return SSL_get_state(s) != TLS_ST_BEFORE; });
  }
  report("server flight sent, waiting for Finished");
  for (SSL* ssl : ssls) ok = ok && Drive(ssl, SSL_do_handshake, [](SSL*) { return false; });
  report("handshake done");
  for (SSL* ssl : ssls) {
    char buffer[1024];
    size_t got = 0;
    ok = ok && Drive(
                   ssl,
                   [&](SSL* s) {
                     size_t n = 0;
                     const int result = SSL_read_ex(s, buffer, sizeof buffer, &n);
                     got += n;
                     return result == 1 && got >= 4 ? 1 : (result == 1 ? 0 : result);
                   },
                   [&](SSL*) { return got >= 4; });
    size_t n = 0;
    SSL_read_ex(ssl, buffer, sizeof buffer, &n);  // nothing more: the idle state
  }
  report("4-byte record read, waiting for more");
  tracking = false;
  if (!ok) std::fprintf(stderr, "some connections failed\n");
  std::printf("%s, %s, record buffers %s\n", SSL_get_version(ssls[0]), SSL_get_cipher(ssls[0]),
              release_buffers ? "released when idle" : "kept");

  std::map<std::string, std::pair<size_t, size_t>> by_site;  // bytes, count
  for (const auto& [p, a] : *live) {
    auto& site =
        by_site[std::string(a.file != nullptr ? a.file : "?") + ":" + std::to_string(a.line)];
    site.first += a.size;
    site.second++;
  }
  std::multimap<size_t, std::string, std::greater<>> ranked;
  for (const auto& [where, totals] : by_site) {
    if (totals.first / count < 32) continue;
    char line[512];
    std::snprintf(line, sizeof line, "%8.0f bytes in %4.1f blocks  %s",
                  static_cast<double>(totals.first) / count,
                  static_cast<double>(totals.second) / count, where.c_str());
    ranked.emplace(totals.first, line);
  }
  std::puts("held per connection, by OpenSSL source line (32 bytes or more):");
  for (const auto& [bytes, line] : ranked) std::printf("  %s\n", line.c_str());

  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  return ok ? 0 : 1;
}
