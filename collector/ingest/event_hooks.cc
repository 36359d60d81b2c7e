#include "collector/ingest/event_hooks.h"

#include <fcntl.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "collector/store/keys.h"
#include "estate/proto_json.h"
#include "estate/text.h"
#include "estate/v1/inventory.pb.h"

namespace estate::collector {
namespace {

constexpr char kCursorSetting[] = "event_hook_cursor";
constexpr size_t kMaxEventsPerRound = 1000;

bool WriteAll(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

EventHooks::EventHooks(Store& store, EventHookOptions options,
                       std::shared_ptr<spdlog::logger> logger)
    : store_(store), options_(std::move(options)), logger_(std::move(logger)) {}

EventHooks::~EventHooks() { Stop(); }

void EventHooks::Start() {
  if (options_.command.empty() && options_.file.empty()) return;
  ::signal(SIGPIPE, SIG_IGN);  // a command that exits without reading stdin must not kill us
  auto raw = store_.Get(Table::kSettings, kCursorSetting);
  if (raw.ok() && raw->has_value()) cursor_ = ParseUint(**raw).value_or(0);
  if (raw.ok() && !raw->has_value()) {
    // First start with hooks: deliver from now on, not the whole past.
    auto last = store_.LastKey(Table::kEvents);
    if (last.ok() && last->has_value()) cursor_ = EventSeqFromKey(**last);
  }
  thread_ = std::thread([this] { Run(); });
}

void EventHooks::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void EventHooks::Poke() {
  {
    std::lock_guard lock(mu_);
    poked_ = true;
  }
  cv_.notify_all();
}

void EventHooks::Run() {
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_ || poked_; });
      if (stopping_) return;
      poked_ = false;
    }
    DeliverPending();
  }
}

void EventHooks::DeliverPending() {
  std::vector<std::pair<uint64_t, std::string>> pending;
  Status st = store_.ScanFrom(
      Table::kEvents, EventKey(cursor_ + 1), [&](std::string_view key, std::string_view value) {
        v1::Event event;
        if (event.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          pending.emplace_back(EventSeqFromKey(key), ProtoToJson(event).dump());
        }
        return pending.size() < kMaxEventsPerRound;
      });
  if (!st.ok()) {
    logger_->error("event hooks cannot read the event log: {}", st.ToString());
    return;
  }
  for (const auto& [seq, json] : pending) {
    bool delivered = true;
    if (!options_.file.empty()) delivered &= AppendToFile(json);
    if (!options_.command.empty()) delivered &= RunCommand(json);
    // A hook that keeps failing must not hold back the rest for ever: logged, skipped.
    if (!delivered) logger_->warn("event {} not delivered to every hook", seq);
    cursor_ = seq;
  }
  if (!pending.empty()) {
    auto batch = store_.NewBatch();
    batch->Put(Table::kSettings, kCursorSetting, std::to_string(cursor_));
    if (Status w = store_.Write(*batch, /*sync=*/false); !w.ok()) {
      logger_->error("cannot save the event hook position: {}", w.ToString());
    }
  }
}

bool EventHooks::AppendToFile(const std::string& json) {
  const int fd = ::open(options_.file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd < 0) {
    logger_->error("cannot open event file {}: {}", options_.file, std::strerror(errno));
    return false;
  }
  const bool ok = WriteAll(fd, json + "\n") && ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

bool EventHooks::RunCommand(const std::string& json) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return false;
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    return false;
  }
  if (pid == 0) {
    ::dup2(pipe_fds[0], STDIN_FILENO);
    ::execl("/bin/sh", "sh", "-c", options_.command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(pipe_fds[0]);
  WriteAll(pipe_fds[1], json + "\n");
  ::close(pipe_fds[1]);
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(options_.command_timeout_s);
  int status = 0;
  for (;;) {
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) return false;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      logger_->warn("event command timed out after {} s", options_.command_timeout_s);
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    logger_->warn("event command failed (status {})", status);
    return false;
  }
  return true;
}

}  // namespace estate::collector
