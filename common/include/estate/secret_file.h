// Secret files: the enroll secret an administrator hands out and the node key
// a node received at enrollment. Both are short text files, mode 0600, read
// whole and trimmed. Their contents must never be logged.
#ifndef ESTATE_SECRET_FILE_H_
#define ESTATE_SECRET_FILE_H_

#include <string>
#include <string_view>

#include "estate/status.h"

namespace estate {

// The trimmed contents of `path`; NotFound when missing, InvalidArgument when
// empty. `what` names the file in messages ("enroll secret file").
Result<std::string> ReadSecretFile(const std::string& path, std::string_view what);

// Writes `secret` + "\n" to `path` with mode 0600, durably (temporary file,
// fsync, rename, fsync of the directory).
Status WriteSecretFile(const std::string& path, std::string_view secret);

// `bytes` random bytes from the OpenSSL CSPRNG, as lowercase hex.
Result<std::string> RandomHex(size_t bytes);

// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// Constant-time comparison, so a wrong key learns nothing from timing.
bool SecretsEqual(std::string_view a, std::string_view b);

}  // namespace estate

#endif  // ESTATE_SECRET_FILE_H_
