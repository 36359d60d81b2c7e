// Test and benchmark helpers: a real Debian snmpd started with its own config
// on 127.0.0.1:<port> (v2c community and v3 users), an snmpsimd serving
// recordings, and a UDP relay that delays or drops datagrams. Loopback only.
#ifndef ESTATE_TESTS_PLUGINS_SNMP_SNMPD_HARNESS_H_
#define ESTATE_TESTS_PLUGINS_SNMP_SNMPD_HARNESS_H_

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace estate::plugins::snmp::testing {

inline constexpr const char* kCommunity = "estate-test";
inline constexpr const char* kSysName = "estate-test-snmpd";
inline constexpr const char* kAuthUser = "estateauth";  // SHA, authNoPriv
inline constexpr const char* kPrivUser = "estatepriv";  // SHA-256 + AES, authPriv
inline constexpr const char* kAuthPassword = "estate-auth-pass";
inline constexpr const char* kPrivPassword = "estate-priv-pass";

// A free UDP port on 127.0.0.1 (bound and released).
uint16_t FreeUdpPort();
bool ProgramExists(const std::string& path);

class Snmpd {
 public:
  // Starts /usr/sbin/snmpd in the foreground on 127.0.0.1:port with a config
  // in a fresh temporary directory; waits until it answers. Empty error = ok.
  std::string Start(uint16_t port = 0, const std::string& address = "127.0.0.1");
  void Stop();
  ~Snmpd() { Stop(); }
  uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  std::string dir_;
};

class Snmpsim {
 public:
  // Serves every *.snmprec of `data_dir` (copied to a temp dir readable by nobody).
  std::string Start(const std::string& data_dir, const std::vector<std::string>& files);
  void Stop();
  ~Snmpsim() { Stop(); }
  uint16_t port() const { return port_; }

 private:
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  std::string dir_;
};

// Forwards UDP datagrams between clients and one upstream 127.0.0.1 port,
// holding each datagram `delay` in each direction, and optionally dropping
// every upstream answer after the first `answer_budget`.
class UdpRelay {
 public:
  UdpRelay(uint16_t upstream_port, std::chrono::microseconds delay, int64_t answer_budget = -1)
      : UdpRelay("127.0.0.1", 0, "127.0.0.1", upstream_port, delay, answer_budget) {}
  // Listens on listen_address:listen_port (0 = any free port).
  UdpRelay(const std::string& listen_address, uint16_t listen_port,
           const std::string& upstream_address, uint16_t upstream_port,
           std::chrono::microseconds delay, int64_t answer_budget = -1);
  ~UdpRelay();
  uint16_t port() const { return port_; }

 private:
  void Loop();
  uint16_t upstream_;
  std::string upstream_address_;
  std::chrono::microseconds delay_;
  int64_t budget_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// Runs a command, returns its stdout (stderr discarded). Sets *status to the exit code.
std::string RunCommand(const std::vector<std::string>& argv, int* status = nullptr);

}  // namespace estate::plugins::snmp::testing

#endif  // ESTATE_TESTS_PLUGINS_SNMP_SNMPD_HARNESS_H_
