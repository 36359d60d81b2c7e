// RocksLogger: RocksDB's own diagnostics (its info log) sent to a spdlog
// logger instead of a LOG file inside the store. On a full disk RocksDB's
// writer of that file fails once and aborts the process the next time
// anything logs (Debian builds RocksDB with assertions on), so the collector
// must not keep its diagnostics on the store's file system. Warnings and
// errors only; each message pattern at most once a minute, so a disk that
// stays full does not fill the collector's log either.
//
// Thread-safe: RocksDB logs from its background threads.
#ifndef ESTATE_COLLECTOR_STORE_ROCKS_LOGGER_H_
#define ESTATE_COLLECTOR_STORE_ROCKS_LOGGER_H_

#include <rocksdb/env.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace estate::collector {

class RocksLogger : public rocksdb::Logger {
 public:
  explicit RocksLogger(std::shared_ptr<spdlog::logger> logger)
      : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL), logger_(std::move(logger)) {}

  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override {
    Logv(rocksdb::InfoLogLevel::INFO_LEVEL, format, ap);
  }
  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override {
    if (level < GetInfoLogLevel() || logger_ == nullptr) return;
    const auto now = std::chrono::steady_clock::now();
    {
      std::lock_guard lock(mu_);
      auto [it, fresh] = last_logged_.try_emplace(format, now);
      if (!fresh && now - it->second < std::chrono::minutes(1)) return;
      it->second = now;
    }
    char text[1024];
    std::vsnprintf(text, sizeof text, format, ap);
    if (level >= rocksdb::InfoLogLevel::ERROR_LEVEL) {
      logger_->error("rocksdb: {}", text);
    } else {
      logger_->warn("rocksdb: {}", text);
    }
  }

 private:
  std::shared_ptr<spdlog::logger> logger_;
  std::mutex mu_;
  std::map<std::string, std::chrono::steady_clock::time_point> last_logged_;
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_STORE_ROCKS_LOGGER_H_
