#include "plugins/snmp/credentials.h"

namespace estate::plugins::snmp {

std::string Credentials::EffectiveLevel() const {
  if (!level.empty()) return level;
  if (!priv_password.empty()) return "authPriv";
  if (!auth_password.empty()) return "authNoPriv";
  return "noAuthNoPriv";
}

Status Credentials::Validate() const {
  if (version == "v1" || version == "v2c") {
    if (communities.empty()) return Status::InvalidArgument("no community given");
    for (const auto& c : communities) {
      if (c.empty()) return Status::InvalidArgument("empty community");
    }
    return Status::Ok();
  }
  if (version != "v3") return Status::InvalidArgument("SNMP version must be v1, v2c or v3");
  if (user.empty()) return Status::InvalidArgument("SNMPv3 needs a user (--v3-user)");
  const std::string lvl = EffectiveLevel();
  if (lvl != "noAuthNoPriv" && lvl != "authNoPriv" && lvl != "authPriv") {
    return Status::InvalidArgument("security level must be noAuthNoPriv, authNoPriv or authPriv");
  }
  if (lvl != "noAuthNoPriv") {
    static const char* kAuth[] = {"MD5", "SHA", "SHA-224", "SHA-256", "SHA-384", "SHA-512"};
    bool ok = false;
    for (const char* a : kAuth) ok = ok || auth_protocol == a;
    if (!ok) return Status::InvalidArgument("unknown auth protocol " + auth_protocol);
    if (auth_password.size() < 8) {
      return Status::InvalidArgument("SNMPv3 auth password needs at least 8 characters");
    }
  }
  if (lvl == "authPriv") {
    if (priv_protocol != "AES" && priv_protocol != "AES-192" && priv_protocol != "AES-256" &&
        priv_protocol != "DES") {
      return Status::InvalidArgument("unknown privacy protocol " + priv_protocol);
    }
    if (priv_password.size() < 8) {
      return Status::InvalidArgument("SNMPv3 privacy password needs at least 8 characters");
    }
  }
  return Status::Ok();
}

}  // namespace estate::plugins::snmp
