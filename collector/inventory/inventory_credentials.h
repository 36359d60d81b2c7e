// The site's inventory credentials as foreign agents present them. Pure;
// thread-safe.
#ifndef ESTATE_COLLECTOR_INVENTORY_INVENTORY_CREDENTIALS_H_
#define ESTATE_COLLECTOR_INVENTORY_INVENTORY_CREDENTIALS_H_

#include <optional>
#include <string>
#include <string_view>

namespace estate::collector {

// An Authorization header, split: "Basic base64(user:password)" or
// "Bearer TOKEN" (user empty, the token as password).
struct PresentedCredentials {
  bool bearer = false;
  std::string user;
  std::string password;
};

// nullopt for a header of another scheme or badly encoded.
std::optional<PresentedCredentials> ParseAuthorization(std::string_view authorization);

// Whether an Authorization header carries `token`: HTTP basic auth with it as
// the password (any user name: the agents insist on one), or "Bearer TOKEN".
// Constant time in the token.
bool InventoryCredentialsMatch(std::string_view authorization, std::string_view token);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_INVENTORY_INVENTORY_CREDENTIALS_H_
