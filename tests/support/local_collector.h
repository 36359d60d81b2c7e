// A real estated for end-to-end tests: its data, admin socket and log in one
// folder, agents over loopback plaintext on a free port, and estatectl against it.
#ifndef ESTATE_TESTS_SUPPORT_LOCAL_COLLECTOR_H_
#define ESTATE_TESTS_SUPPORT_LOCAL_COLLECTOR_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "tests/support/subprocess.h"

namespace estate::testing {

class LocalCollector {
 public:
  // `bin_dir` is the build tree (ESTATE_BINARY_DIR); `dir` holds data/, admin.sock and
  // estated.log.
  LocalCollector(std::string bin_dir, std::string dir);

  // Starts estated with `extra_args` after the defaults and waits until estatectl gets
  // an answer. False when it does not start: log() says why.
  bool Start(const std::vector<std::string>& extra_args = {});
  int Stop(int signal, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    return daemon_.Stop(signal, timeout);
  }

  // estatectl --socket SOCKET ARGS...
  CommandResult Ctl(std::vector<std::string> args) const;

  uint16_t port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  const std::string& socket() const { return socket_; }
  const std::string& log() const { return log_; }
  std::string estated() const { return bin_dir_ + "/collector/estated"; }
  std::string estatectl() const { return bin_dir_ + "/collector/estatectl"; }

 private:
  std::string bin_dir_, dir_;
  uint16_t port_;
  std::string socket_, log_;
  Daemon daemon_;
};

}  // namespace estate::testing

#endif  // ESTATE_TESTS_SUPPORT_LOCAL_COLLECTOR_H_
