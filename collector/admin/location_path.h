// Locations as a hierarchy: "site/building/floor/room" paths (HQ/B2/F3/R301)
// in the `location` attribute, in the location map and in audit scopes.
// Segments compare case-insensitively and a prefix matches whole segments
// only, so HQ/B2 takes HQ/B2/F3 but not HQ/B20. Pure; thread-safe.
#ifndef ESTATE_COLLECTOR_ADMIN_LOCATION_PATH_H_
#define ESTATE_COLLECTOR_ADMIN_LOCATION_PATH_H_

#include <string>
#include <string_view>

#include "estate/status.h"

namespace estate::collector {

inline constexpr size_t kMaxLocationSegments = 8;
inline constexpr size_t kMaxLocationSegmentBytes = 64;

// The path with each segment trimmed and one '/' between them (a trailing
// '/' is dropped). InvalidArgument naming `field` for an empty path, an
// empty segment (HQ//B2), a control character or more than 8 segments.
Result<std::string> NormalizeLocationPath(std::string_view text, std::string_view field);

// Whether `path` is `prefix` or lies below it, segment by segment, any case.
// An empty prefix holds everything.
bool LocationUnder(std::string_view path, std::string_view prefix);

// Two locations disagree when neither lies within the other: a room and its
// site agree, two rooms of one floor do not. Empty agrees with everything.
bool LocationsDisagree(std::string_view a, std::string_view b);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_ADMIN_LOCATION_PATH_H_
