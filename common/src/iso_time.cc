#include "estate/iso_time.h"

#include <ctime>

namespace estate {

std::string FormatIsoUtc(int64_t epoch_seconds) {
  if (epoch_seconds <= 0) return "";
  const std::time_t t = static_cast<std::time_t>(epoch_seconds);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

}  // namespace estate
