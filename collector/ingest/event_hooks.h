// EventHooks: hands each new event to the outside world so an ITSM or
// ticketing system can act on it — appended as a JSON line to a file, and/or
// written to the stdin of a command run once per event. At-least-once: the
// position is kept in the store's settings after each delivery, so a restart
// resumes where it left off. Runs on its own thread; never blocks ingestion.
#ifndef ESTATE_COLLECTOR_INGEST_EVENT_HOOKS_H_
#define ESTATE_COLLECTOR_INGEST_EVENT_HOOKS_H_

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "collector/store/store.h"

namespace spdlog {
class logger;
}

namespace estate::collector {

struct EventHookOptions {
  std::string command;  // run with /bin/sh -c, the event as JSON on stdin
  std::string file;     // appended, one JSON object per line
  int command_timeout_s = 30;
};

class EventHooks {
 public:
  EventHooks(Store& store, EventHookOptions options, std::shared_ptr<spdlog::logger> logger);
  ~EventHooks();  // Stop()s

  void Start();
  void Stop();
  // Wakes the thread early (after a commit that raised events).
  void Poke();

 private:
  void Run();
  void DeliverPending();
  bool RunCommand(const std::string& json);
  bool AppendToFile(const std::string& json);

  Store& store_;
  EventHookOptions options_;
  std::shared_ptr<spdlog::logger> logger_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool poked_ = false;
  std::thread thread_;
  uint64_t cursor_ = 0;
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_INGEST_EVENT_HOOKS_H_
