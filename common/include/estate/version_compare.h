// Package version ordering, Debian's rules (deb-version(7)): epoch, then
// upstream version and revision compared by alternating non-digit and digit
// runs, '~' sorting before everything. Also orders rpm and most upstream
// version strings sensibly. Pure; thread-safe.
#ifndef ESTATE_VERSION_COMPARE_H_
#define ESTATE_VERSION_COMPARE_H_

#include <string_view>

namespace estate {

// <0, 0, >0 as a sorts before, equal to or after b.
int CompareVersions(std::string_view a, std::string_view b);

}  // namespace estate

#endif  // ESTATE_VERSION_COMPARE_H_
