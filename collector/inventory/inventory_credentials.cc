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

std::optional<PresentedCredentials> ParseAuthorization(std::string_view authorization) {
  authorization = Trim(authorization);
  const std::string lower = ToLower(authorization.substr(0, 7));
  if (StartsWith(lower, "bearer ")) {
    return PresentedCredentials{true, "", std::string(Trim(authorization.substr(7)))};
  }
  if (!StartsWith(lower, "basic ")) return std::nullopt;
  auto decoded = DecodeBase64(Trim(authorization.substr(6)));
  if (!decoded) return std::nullopt;
  const size_t colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return PresentedCredentials{false, decoded->substr(0, colon), decoded->substr(colon + 1)};
}

bool InventoryCredentialsMatch(std::string_view authorization, std::string_view token) {
  auto presented = ParseAuthorization(authorization);
  return presented && !token.empty() && SecretsEqual(presented->password, token);
}

}  // namespace estate::collector
