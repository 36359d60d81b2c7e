// Running the project's real binaries from tests: one-shot commands with their
// output, and daemons started in the background and stopped by signal.
#ifndef ESTATE_TESTS_SUPPORT_SUBPROCESS_H_
#define ESTATE_TESTS_SUPPORT_SUBPROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace estate::testing {

struct CommandResult {
  int exit_code = -1;  // -1 when killed by a signal or timed out
  std::string out;
  std::string err;
  double cpu_seconds = 0;  // user + system time of the child
  long max_rss_kb = 0;     // the child's peak resident set
};

// Runs argv[0] (a path) with argv, waits at most `timeout`.
CommandResult RunCommand(const std::vector<std::string>& argv,
                         std::chrono::milliseconds timeout = std::chrono::seconds(60));

// A background process whose stderr goes to `log_path`.
class Daemon {
 public:
  Daemon() = default;
  ~Daemon();  // SIGKILLs it if still running
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  bool Start(const std::vector<std::string>& argv, const std::string& log_path);
  // Sends `signal`, waits for exit; returns the exit status (or -signal).
  int Stop(int signal, std::chrono::milliseconds timeout = std::chrono::seconds(20));
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

// Polls `predicate` every 20 ms until it holds or `timeout` passes.
template <typename Predicate>
bool WaitFor(Predicate predicate, std::chrono::milliseconds timeout = std::chrono::seconds(15));

// The contents of a file ("" when unreadable).
std::string ReadTextFile(const std::string& path);

// A TCP port on 127.0.0.1 that is free right now (bound to 0, read, released).
uint16_t FreeLoopbackPort();

}  // namespace estate::testing

#include <thread>

namespace estate::testing {
template <typename Predicate>
bool WaitFor(Predicate predicate, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (predicate()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return predicate();
}
}  // namespace estate::testing

#endif  // ESTATE_TESTS_SUPPORT_SUBPROCESS_H_
