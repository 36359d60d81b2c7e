#include "tests/support/local_collector.h"

#include <utility>

namespace estate::testing {

LocalCollector::LocalCollector(std::string bin_dir, std::string dir)
    : bin_dir_(std::move(bin_dir)),
      dir_(std::move(dir)),
      port_(FreeLoopbackPort()),
      socket_(dir_ + "/admin.sock"),
      log_(dir_ + "/estated.log") {}

bool LocalCollector::Start(const std::vector<std::string>& extra_args) {
  std::vector<std::string> argv = {
      estated(), "--data-dir",     dir_ + "/data", "--listen",
      address(), "--admin-socket", socket_,        "--insecure-plaintext"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  if (!daemon_.Start(argv, log_)) return false;
  return WaitFor([&] { return Ctl({"stats"}).exit_code == 0; });
}

CommandResult LocalCollector::Ctl(std::vector<std::string> args) const {
  args.insert(args.begin(), {estatectl(), "--socket", socket_});
  return RunCommand(args);
}

}  // namespace estate::testing
