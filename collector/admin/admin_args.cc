#include "collector/admin/admin_args.h"

#include <cstdio>
#include <ctime>

#include "estate/iso_time.h"
#include "estate/text.h"

namespace estate::collector {

std::optional<std::string> Option(const v1::AdminRequest& request, const std::string& name) {
  auto it = request.options().find(name);
  if (it == request.options().end()) return std::nullopt;
  return it->second;
}

std::string OptionOr(const v1::AdminRequest& request, const std::string& name,
                     const std::string& fallback) {
  return Option(request, name).value_or(fallback);
}

Result<int64_t> ParseTime(const std::string& text, bool end_of_day) {
  if (auto seconds = ParseUint(text); seconds && text.size() > 8) {
    return static_cast<int64_t>(*seconds);
  }
  std::tm tm{};
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  char sep = 0;
  const int n = std::sscanf(text.c_str(), "%4d-%2d-%2d%c%2d:%2d:%2d", &year, &month, &day, &sep,
                            &hour, &minute, &second);
  if (n < 3 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 ||
      second > 60 || (n >= 4 && sep != 'T' && sep != ' ')) {
    return Status::InvalidArgument(
        "'" + text + "' is not a date (YYYY-MM-DD[THH:MM[:SS]], UTC, or Unix seconds)");
  }
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  int64_t t = static_cast<int64_t>(::timegm(&tm));
  // timegm rolls 2027-02-30 over into March: a day the month lacks is an error.
  std::tm back{};
  const std::time_t tt = static_cast<std::time_t>(t);
  ::gmtime_r(&tt, &back);
  if (back.tm_mday != day || back.tm_mon != month - 1) {
    return Status::InvalidArgument("'" + text + "' is not a real date");
  }
  if (n == 3 && end_of_day) t += 86399;
  return t;
}

Result<int64_t> ParseDurationSeconds(const std::string& text) {
  if (text.empty()) return Status::InvalidArgument("empty duration");
  int64_t unit = 86400;
  std::string digits = text;
  switch (text.back()) {
    case 'd':
      digits.pop_back();
      break;
    case 'h':
      unit = 3600;
      digits.pop_back();
      break;
    case 'm':
      unit = 60;
      digits.pop_back();
      break;
    case 's':
      unit = 1;
      digits.pop_back();
      break;
    default:
      break;
  }
  auto n = ParseUint(digits);
  if (!n) return Status::InvalidArgument("'" + text + "' is not a duration (7d, 12h, 30m, 90s)");
  return static_cast<int64_t>(*n) * unit;
}

int64_t UnixNow() { return static_cast<int64_t>(std::time(nullptr)); }

std::string FormatTime(int64_t seconds) { return FormatIsoUtc(seconds); }

}  // namespace estate::collector
