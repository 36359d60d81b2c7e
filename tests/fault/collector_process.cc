#include "tests/fault/collector_process.h"

#include <signal.h>
#include <sys/wait.h>

#include <fstream>

namespace estate::fault {
namespace {

const std::string kEstated = std::string(ESTATE_BINARY_DIR) + "/collector/estated";
const std::string kEstatectl = std::string(ESTATE_BINARY_DIR) + "/collector/estatectl";

}  // namespace

CollectorProcess::CollectorProcess(std::string dir, std::string data_dir)
    : dir_(std::move(dir)),
      data_dir_(data_dir.empty() ? dir_ + "/data" : std::move(data_dir)),
      socket_(dir_ + "/admin.sock"),
      log_(dir_ + "/estated.log"),
      port_(testing::FreeLoopbackPort()) {}

CollectorProcess::~CollectorProcess() {
  if (daemon_.running()) Kill();
}

bool CollectorProcess::Start(const std::vector<std::string>& extra, uint16_t port,
                             std::chrono::milliseconds timeout) {
  // Loopback agents without TLS or enrollment, and no per-node rate limit:
  // the fault agents report every second. (Unknown keys are ignored by
  // collectors that predate them.)
  const std::string config = dir_ + "/estated.conf";
  std::ofstream(config, std::ios::trunc) << "insecure_plaintext = true\n"
                                         << "report_rate_per_minute = 0\n";
  std::vector<std::string> argv = {kEstated,
                                   "--config",
                                   config,
                                   "--data-dir",
                                   data_dir_,
                                   "--listen",
                                   "127.0.0.1:" + std::to_string(port ? port : port_),
                                   "--admin-socket",
                                   socket_};
  argv.insert(argv.end(), extra.begin(), extra.end());
  if (!daemon_.Start(argv, log_)) return false;
  return testing::WaitFor([&] { return !Alive() || Ctl({"stats"}).exit_code == 0; }, timeout) &&
         Alive();
}

bool CollectorProcess::Alive() const {
  if (!daemon_.running()) return false;
  // Not reaped yet and still there: waitpid would reap, so ask the kernel.
  siginfo_t info{};
  info.si_pid = 0;
  if (::waitid(P_PID, static_cast<id_t>(daemon_.pid()), &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
    return false;
  }
  return info.si_pid == 0;
}

void CollectorProcess::Kill() { daemon_.Stop(SIGKILL); }

int CollectorProcess::Stop() { return daemon_.Stop(SIGTERM, std::chrono::seconds(60)); }

std::string CollectorProcess::address() const { return "127.0.0.1:" + std::to_string(port_); }

std::string CollectorProcess::LogTail(size_t bytes) const {
  std::string log = testing::ReadTextFile(log_);
  return log.size() > bytes ? log.substr(log.size() - bytes) : log;
}

testing::CommandResult CollectorProcess::Ctl(std::vector<std::string> args) const {
  args.insert(args.begin(), {kEstatectl, "--socket", socket_});
  return testing::RunCommand(args, std::chrono::seconds(30));
}

nlohmann::json CollectorProcess::CtlJson(std::vector<std::string> args) const {
  args.insert(args.begin(), "--json");
  testing::CommandResult r = Ctl(std::move(args));
  if (r.exit_code != 0) return nlohmann::json(nlohmann::json::value_t::discarded);
  return nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
}

}  // namespace estate::fault
