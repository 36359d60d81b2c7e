// The one way Estate writes a time for people and spreadsheets: ISO 8601 in
// UTC, "2026-12-07T19:40:15Z". Every human rendering, CSV column and event
// summary goes through it, so no output shows epoch seconds or a local time.
// Pure; thread-safe.
#ifndef ESTATE_ISO_TIME_H_
#define ESTATE_ISO_TIME_H_

#include <cstdint>
#include <string>

namespace estate {

// Unix epoch seconds as "YYYY-MM-DDTHH:MM:SSZ"; "" for 0 or less (no time).
std::string FormatIsoUtc(int64_t epoch_seconds);

}  // namespace estate

#endif  // ESTATE_ISO_TIME_H_
