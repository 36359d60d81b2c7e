// "Did you mean" hints for mistyped options, keys and values. Pure; thread-safe.
#ifndef ESTATE_SUGGEST_H_
#define ESTATE_SUGGEST_H_

#include <string>
#include <string_view>
#include <vector>

namespace estate {

// The candidate nearest to a mistyped `word` (edit distance, case-insensitive),
// for "did you mean" hints; empty when none is near enough to be a likely typo.
std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates);
// " (did you mean 'x'?)" from ClosestMatch, or "".
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace estate

#endif  // ESTATE_SUGGEST_H_
