// SNMP credentials and transport settings for a scan: v1/v2c community list
// (tried in order until one answers) or one SNMPv3 USM user.
#ifndef ESTATE_PLUGINS_SNMP_CREDENTIALS_H_
#define ESTATE_PLUGINS_SNMP_CREDENTIALS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "estate/status.h"

namespace estate::plugins::snmp {

struct Credentials {
  std::string version = "v2c";  // v1, v2c, v3
  std::vector<std::string> communities = {"public"};
  // SNMPv3 USM.
  std::string user;
  std::string level;                  // noAuthNoPriv, authNoPriv, authPriv (derived when empty)
  std::string auth_protocol = "SHA";  // MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512
  std::string auth_password;
  std::string priv_protocol = "AES";  // AES (128), AES-192, AES-256, DES
  std::string priv_password;

  // Checks names and lengths (USM passwords need 8 characters).
  Status Validate() const;
  std::string EffectiveLevel() const;
};

struct TransportOptions {
  uint16_t port = 161;
  int timeout_ms = 1000;
  int retries = 1;
};

}  // namespace estate::plugins::snmp

#endif  // ESTATE_PLUGINS_SNMP_CREDENTIALS_H_
