// preauth_flood_bench: what connections that never authenticate cost a
// running estated. Opens N connections to 127.0.0.1:PORT (plaintext, or TLS
// with the handshake completed), each sending only a frame header, and prints
// the collector's RSS (VmRSS of PID) before and after, in all and per
// connection it still holds. Over TLS the collector admits only as many
// strangers as max_unauthenticated_mb holds; the rest are told "collector
// busy" after the handshake or refused in it: both counts are printed.
//
// Start estated first (loopback only), with hello_timeout_ms and
// tls_handshake_timeout_ms above the run's length and max_connections above N,
// and run this with a file-descriptor limit above N:
//   preauth_flood_bench --pid PID --port PORT --connections 19000 [--tls]
//                       [--announce BYTES]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "tests/collector/connection_flood.h"

namespace {

int Usage() {
  std::fputs(
      "usage: preauth_flood_bench --pid PID --port PORT --connections N [--tls] "
      "[--announce BYTES]\n",
      stderr);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int pid = 0;
  long port = 0;
  size_t connections = 0;
  bool tls = false;
  unsigned long announce = 64 * 1024;  // the most allowed before hello
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const char* value = i + 1 < argc ? argv[i + 1] : nullptr;
    if (arg == "--tls") {
      tls = true;
    } else if (value != nullptr && arg == "--pid") {
      pid = std::atoi(value), ++i;
    } else if (value != nullptr && arg == "--port") {
      port = std::atol(value), ++i;
    } else if (value != nullptr && arg == "--connections") {
      connections = std::strtoul(value, nullptr, 10), ++i;
    } else if (value != nullptr && arg == "--announce") {
      announce = std::strtoul(value, nullptr, 10), ++i;
    } else {
      return Usage();
    }
  }
  if (pid <= 0 || port <= 0 || port > 65535 || connections == 0) return Usage();
  const size_t files = estate::testing::RaiseOpenFileLimit();
  if (files < connections + 16) {
    std::fprintf(stderr, "only %zu file descriptors allowed; raise the hard limit\n", files);
    return 1;
  }
  const char header[4] = {static_cast<char>(announce >> 24), static_cast<char>(announce >> 16),
                          static_cast<char>(announce >> 8), static_cast<char>(announce)};

  const uint64_t before = estate::testing::ResidentKb(pid);
  estate::testing::ConnectionFlood flood(static_cast<uint16_t>(port), tls);
  const auto start = std::chrono::steady_clock::now();
  estate::Status st = flood.Open(connections, std::string_view(header, 4));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!st.ok()) {
    std::fprintf(stderr, "after %zu connections: %s\n", flood.size(), st.ToString().c_str());
  }
  // The last connections' bytes are read: the RSS stops moving.
  uint64_t last = 0, after = estate::testing::ResidentKb(pid);
  for (int i = 0; i < 50 && after != last; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    last = after;
    after = estate::testing::ResidentKb(pid);
  }
  const size_t closed = flood.CountClosed();
  const size_t open = flood.size() - closed;
  // Per connection the collector still holds (those it refused hold nothing).
  const double kb = after > before && open > 0 ? static_cast<double>(after - before) / open : 0;
  std::printf("transport            %s\n", tls ? "TLS" : "plaintext");
  std::printf("announced per frame  %lu bytes\n", announce);
  std::printf("connections tried    %zu in %.1f s\n", flood.size() + flood.refused(), seconds);
  std::printf("  held open          %zu\n", open);
  std::printf("  closed by it       %zu (told \"collector busy\" or refused in the handshake)\n",
              closed + flood.refused());
  std::printf("collector RSS        %.1f MiB -> %.1f MiB (+%.1f MiB)\n", before / 1024.0,
              after / 1024.0, (static_cast<double>(after) - before) / 1024.0);
  std::printf("per connection held  %.1f KiB\n", kb);
  return st.ok() ? 0 : 1;
}
