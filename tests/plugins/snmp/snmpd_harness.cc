#include "tests/plugins/snmp/snmpd_harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "tests/support/subprocess.h"

namespace estate::plugins::snmp::testing {
namespace fs = std::filesystem;

uint16_t FreeUdpPort() {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

bool ProgramExists(const std::string& path) { return access(path.c_str(), X_OK) == 0; }

std::string RunCommand(const std::vector<std::string>& argv, int* status) {
  estate::testing::CommandResult result =
      estate::testing::RunCommand(argv, std::chrono::minutes(10));
  if (status) *status = result.exit_code;
  return result.out;
}

namespace {

std::string MakeTempDir(const char* prefix) {
  std::string tmpl = (fs::temp_directory_path() / (std::string(prefix) + "XXXXXX")).string();
  char* made = mkdtemp(tmpl.data());
  return made ? made : "";
}

pid_t Spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env,
            const std::string& log) {
  pid_t pid = fork();
  if (pid == 0) {
    // The agent dies with the test, even when the test crashes.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    setpgid(0, 0);
    for (const auto& e : env) putenv(const_cast<char*>(e.c_str()));
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  return pid;
}

bool Answers(uint16_t port, const std::string& community,
             const std::string& address = "127.0.0.1") {
  int status = 0;
  RunCommand({"/usr/bin/snmpget", "-v2c", "-c", community, "-t", "0.3", "-r", "0", "-On",
              address + ":" + std::to_string(port), "1.3.6.1.2.1.1.5.0"},
             &status);
  return status == 0;
}

void StopProcess(pid_t* pid) {
  if (*pid <= 0) return;
  kill(*pid, SIGTERM);
  for (int i = 0; i < 50; ++i) {
    if (waitpid(*pid, nullptr, WNOHANG) == *pid) {
      *pid = -1;
      return;
    }
    usleep(20000);
  }
  kill(*pid, SIGKILL);
  waitpid(*pid, nullptr, 0);
  *pid = -1;
}

}  // namespace

std::string Snmpd::Start(uint16_t port, const std::string& address) {
  if (!ProgramExists("/usr/sbin/snmpd")) return "snmpd not installed (apt-get install snmpd)";
  if (!ProgramExists("/usr/bin/snmpget")) return "snmp tools not installed (apt-get install snmp)";
  dir_ = MakeTempDir("estate-snmpd-");
  port_ = port ? port : FreeUdpPort();
  {
    std::ofstream conf(dir_ + "/snmpd.conf");
    conf << "rocommunity " << kCommunity << " 127.0.0.0/8\n"
         << "sysName " << kSysName << "\n"
         << "sysLocation Estate test lab\n"
         << "sysContact estate@example.org\n"
         << "createUser " << kAuthUser << " SHA \"" << kAuthPassword << "\"\n"
         << "createUser " << kPrivUser << " SHA-256 \"" << kAuthPassword << "\" AES \""
         << kPrivPassword << "\"\n"
         << "rouser " << kAuthUser << " auth\n"
         << "rouser " << kPrivUser << " priv\n";
  }
  pid_ = Spawn({"/usr/sbin/snmpd", "-f", "-Lo", "-C", "-c", dir_ + "/snmpd.conf", "-p",
                dir_ + "/snmpd.pid", "udp:" + address + ":" + std::to_string(port_)},
               {"SNMP_PERSISTENT_DIR=" + dir_ + "/persist", "MIBS="}, dir_ + "/snmpd.log");
  for (int i = 0; i < 100; ++i) {
    if (Answers(port_, kCommunity, address)) return "";
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      return "snmpd exited at start; see " + dir_ + "/snmpd.log";
    }
    usleep(50000);
  }
  Stop();
  return "snmpd did not answer on port " + std::to_string(port_);
}

void Snmpd::Stop() {
  StopProcess(&pid_);
  if (!dir_.empty()) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
    dir_.clear();
  }
}

std::string Snmpsim::Start(const std::string& data_dir, const std::vector<std::string>& files) {
  if (!ProgramExists("/usr/bin/snmpsimd")) return "snmpsim not installed (apt-get install snmpsim)";
  if (!ProgramExists("/usr/bin/snmpget")) return "snmp tools not installed (apt-get install snmp)";
  dir_ = MakeTempDir("estate-snmpsim-");
  fs::create_directories(dir_ + "/data");
  fs::create_directories(dir_ + "/cache");
  for (const auto& f : files) fs::copy_file(data_dir + "/" + f, dir_ + "/data/" + f);
  chmod(dir_.c_str(), 0755);
  chmod((dir_ + "/data").c_str(), 0755);
  chmod((dir_ + "/cache").c_str(), 0777);
  port_ = FreeUdpPort();
  std::vector<std::string> argv = {"/usr/bin/snmpsimd", "--data-dir=" + dir_ + "/data",
                                   "--cache-dir=" + dir_ + "/cache",
                                   "--agent-udpv4-endpoint=127.0.0.1:" + std::to_string(port_)};
  if (geteuid() == 0) {
    argv.push_back("--process-user=nobody");
    argv.push_back("--process-group=nogroup");
  }
  pid_ = Spawn(argv, {}, dir_ + "/snmpsim.log");
  const std::string community = fs::path(files.front()).stem().string();
  for (int i = 0; i < 200; ++i) {
    if (Answers(port_, community)) return "";
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      return "snmpsimd exited at start; see " + dir_ + "/snmpsim.log";
    }
    usleep(100000);
  }
  Stop();
  return "snmpsimd did not answer";
}

void Snmpsim::Stop() {
  StopProcess(&pid_);
  if (!dir_.empty()) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
    dir_.clear();
  }
}

UdpRelay::UdpRelay(const std::string& listen_address, uint16_t listen_port,
                   const std::string& upstream_address, uint16_t upstream_port,
                   std::chrono::microseconds delay, int64_t answer_budget)
    : upstream_(upstream_port),
      upstream_address_(upstream_address),
      delay_(delay),
      budget_(answer_budget) {
  listen_fd_ = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  inet_pton(AF_INET, listen_address.c_str(), &a.sin_addr);
  a.sin_port = htons(listen_port);
  bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
  port_ = ntohs(a.sin_port);
  thread_ = std::thread([this] { Loop(); });
}

UdpRelay::~UdpRelay() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  close(listen_fd_);
}

void UdpRelay::Loop() {
  using Clock = std::chrono::steady_clock;
  struct Datagram {
    Clock::time_point due;
    int fd;
    sockaddr_in to;
    std::string bytes;
  };
  std::deque<Datagram> queue;  // due times only grow: one fixed delay
  // One upstream socket per client address, so answers find their way back.
  std::map<std::pair<uint32_t, uint16_t>, int> upstream_fds;
  std::map<int, sockaddr_in> client_of;
  sockaddr_in upstream{};
  upstream.sin_family = AF_INET;
  inet_pton(AF_INET, upstream_address_.c_str(), &upstream.sin_addr);
  upstream.sin_port = htons(upstream_);
  char buf[65536];
  while (!stop_) {
    std::vector<pollfd> fds{{listen_fd_, POLLIN, 0}};
    for (auto& [fd, client] : client_of) fds.push_back({fd, POLLIN, 0});
    int wait_ms = 20;
    if (!queue.empty()) {
      auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(queue.front().due - Clock::now());
      wait_ms = std::max<int>(0, std::min<int>(wait_ms, static_cast<int>(left.count())));
    }
    // Sub-millisecond precision: poll with a timespec.
    timespec ts{0, 0};
    if (!queue.empty()) {
      auto left = queue.front().due - Clock::now();
      auto ns =
          std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::nanoseconds>(left).count());
      ns = std::min<int64_t>(ns, 20'000'000);
      ts = {0, static_cast<long>(ns)};
    } else {
      ts = {0, 20'000'000};
    }
    (void)wait_ms;
    ppoll(fds.data(), fds.size(), &ts, nullptr);
    for (auto& p : fds) {
      if (!(p.revents & POLLIN)) continue;
      sockaddr_in from{};
      socklen_t len = sizeof from;
      ssize_t n;
      while ((n = recvfrom(p.fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len)) >
             0) {
        if (p.fd == listen_fd_) {
          auto key = std::make_pair(from.sin_addr.s_addr, from.sin_port);
          int& up = upstream_fds[key];
          if (up == 0) {
            up = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
            client_of[up] = from;
          }
          queue.push_back({Clock::now() + delay_, up, upstream, std::string(buf, n)});
        } else {
          if (budget_ == 0) continue;  // the device stopped answering
          if (budget_ > 0) --budget_;
          queue.push_back(
              {Clock::now() + delay_, listen_fd_, client_of[p.fd], std::string(buf, n)});
        }
        len = sizeof from;
      }
    }
    const auto now = Clock::now();
    while (!queue.empty() && queue.front().due <= now) {
      auto& d = queue.front();
      sendto(d.fd, d.bytes.data(), d.bytes.size(), 0, reinterpret_cast<sockaddr*>(&d.to),
             sizeof d.to);
      queue.pop_front();
    }
  }
  for (auto& [fd, client] : client_of) close(fd);
}

}  // namespace estate::plugins::snmp::testing
