#include "estate/collector_config.h"

#include "estate/config_file.h"
#include "estate/secret_file.h"

namespace estate {

Status ApplyCollectorConfig(const std::string& path, const std::string& key_name,
                            CollectorClientOptions* options) {
  auto config = ConfigFile::Load(path);
  if (!config.ok()) return config.status();
  const std::string plaintext = config->GetOr("insecure_plaintext", "false");
  if (plaintext != "true" && plaintext != "false") {
    return Status::InvalidArgument(path + ": insecure_plaintext must be true or false");
  }
  auto tls = MakeTlsClientOptions(config->GetOr("ca_file", ""),
                                  config->GetOr("collector_fingerprint", ""), plaintext == "true");
  if (!tls.ok()) return Status::InvalidArgument(path + ": " + tls.status().message());
  options->tls = *tls;
  const std::string key_file = config->GetOr("state_dir", "/var/lib/estate-agent") + "/" + key_name;
  if (auto key = ReadSecretFile(key_file, "node key file"); key.ok()) {
    options->node_key = *key;
    return Status::Ok();
  }
  if (auto secret_file = config->Get("enroll_secret_file")) {
    auto secret = ReadSecretFile(*secret_file, "enroll secret file");
    if (!secret.ok()) return secret.status();
    options->enroll_secret = *secret;
    options->save_node_key = [key_file](const std::string& key) {
      return WriteSecretFile(key_file, key);
    };
  }
  return Status::Ok();
}

}  // namespace estate
