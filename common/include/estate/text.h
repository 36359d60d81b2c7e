// Small text helpers shared by parsers: trimming, splitting, UTF-8 repair,
// MAC address normalisation. Pure functions; thread-safe.
#ifndef ESTATE_TEXT_H_
#define ESTATE_TEXT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace estate {

std::string_view Trim(std::string_view s);
std::vector<std::string_view> Split(std::string_view s, char sep);
bool StartsWith(std::string_view s, std::string_view prefix);
std::string ToLower(std::string_view s);

// Replaces each byte sequence that is not valid UTF-8 with U+FFFD and control
// characters (other than tab) with a space, so device- and file-supplied text is safe to print.
std::string SanitizeUtf8(std::string_view s);

// Parses "aa:bb:cc:dd:ee:ff", "AA-BB-...", "aabb.ccdd.eeff" or 12 hex digits
// into canonical lower-case colon form; nullopt when it is not a MAC.
std::optional<std::string> NormalizeMac(std::string_view text);
// Canonical form of 6 raw bytes.
std::string FormatMac(const uint8_t bytes[6]);
// The U/L bit: set for locally administered (often randomized) addresses.
bool IsLocallyAdministeredMac(std::string_view canonical_mac);

// Parses a decimal unsigned integer in full; nullopt on anything else or overflow.
std::optional<uint64_t> ParseUint(std::string_view s);
// Parses hex digits (either case, no prefix, no spaces) in full; nullopt otherwise.
std::optional<uint64_t> ParseHexUint(std::string_view s);

}  // namespace estate

#endif  // ESTATE_TEXT_H_
