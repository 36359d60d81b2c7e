// CollectorProcess: a real estated for the fault tests. Its data directory,
// agent port and admin socket stay fixed for the object's life, so it can be
// SIGKILLed and started again on the same store any number of times. This is
// the one place in tests/fault that knows estated's command line: transport
// options (TLS, enrollment) are added here and nowhere else.
//
// Not thread-safe: one owner (the test's main thread).
#ifndef ESTATE_TESTS_FAULT_COLLECTOR_PROCESS_H_
#define ESTATE_TESTS_FAULT_COLLECTOR_PROCESS_H_

#include <sys/types.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/subprocess.h"

namespace estate::fault {

class CollectorProcess {
 public:
  // `dir` holds the log, the admin socket and (unless `data_dir` is given) data/.
  explicit CollectorProcess(std::string dir, std::string data_dir = "");
  ~CollectorProcess();  // SIGKILLs a collector still running

  // Starts estated on `port` (0: the object's own port) and waits until the
  // admin socket answers. `extra` is appended to the command line. False (with
  // the log tail in `error()`) when it does not come up within `timeout`.
  bool Start(const std::vector<std::string>& extra = {}, uint16_t port = 0,
             std::chrono::milliseconds timeout = std::chrono::seconds(60));
  void Kill();  // SIGKILL: nothing is flushed, nothing is answered
  int Stop();   // SIGTERM; the exit status
  bool running() const { return daemon_.running(); }
  pid_t pid() const { return daemon_.pid(); }
  bool Alive() const;  // the process exists and has not exited

  // HOST:PORT the agents report to.
  std::string address() const;
  uint16_t port() const { return port_; }
  const std::string& data_dir() const { return data_dir_; }
  const std::string& log_path() const { return log_; }
  std::string LogTail(size_t bytes = 4000) const;

  testing::CommandResult Ctl(std::vector<std::string> args) const;
  // `estatectl --json ARGS`; a discarded value when the command fails.
  nlohmann::json CtlJson(std::vector<std::string> args) const;

 private:
  std::string dir_, data_dir_, socket_, log_;
  uint16_t port_;
  testing::Daemon daemon_;
};

}  // namespace estate::fault

#endif  // ESTATE_TESTS_FAULT_COLLECTOR_PROCESS_H_
