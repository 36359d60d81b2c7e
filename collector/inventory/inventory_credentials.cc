#include "collector/inventory/inventory_credentials.h"

#include <cstdint>
#include <optional>
#include <string>

#include "estate/secret_file.h"
#include "estate/text.h"

namespace estate::collector {
namespace {

std::optional<std::string> DecodeBase64(std::string_view in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
  };
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=') break;
    const int v = value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

}  // namespace

bool InventoryCredentialsMatch(std::string_view authorization, std::string_view token) {
  authorization = Trim(authorization);
  const std::string lower = ToLower(authorization.substr(0, 7));
  if (StartsWith(lower, "bearer ")) return SecretsEqual(Trim(authorization.substr(7)), token);
  if (!StartsWith(lower, "basic ")) return false;
  auto decoded = DecodeBase64(Trim(authorization.substr(6)));
  if (!decoded) return false;
  const size_t colon = decoded->find(':');
  if (colon == std::string::npos) return false;
  return SecretsEqual(std::string_view(*decoded).substr(colon + 1), token);
}

}  // namespace estate::collector
