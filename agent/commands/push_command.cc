// estate-agent push --collector HOST:PORT [--root DIR] [--node-id ID] [--sequence N]
//                   [--ca-file FILE | --collector-fingerprint SHA256 | --insecure-plaintext]
//                   [--node-key-file FILE [--enroll-secret-file FILE]]
//
// One full report over one connection. The sequence must grow across pushes
// from the same node, also across reinstalls that lose the agent's state, so
// without --sequence it is max(HelloAck.last_sequence + 1, now in Unix ms).
#include <algorithm>
#include <chrono>
#include <cstdio>

#include "agent/commands/commands.h"
#include "agent/commands/flags.h"
#include "agent/commands/inventory_source.h"
#include "estate/collector_client.h"
#include "estate/proto_json.h"
#include "estate/secret_file.h"
#include "estate/text.h"

namespace estate::agent {

namespace {

constexpr const char* kPushUsage = R"(usage: estate-agent push --collector HOST:PORT [options]
  --collector HOST:PORT  the collector (estated) to report to
  --root DIR             read the host under DIR instead of /
  --addresses FILE       interface addresses from FILE (`ip -o addr show` output)
  --node-id ID           identity to report as (default: the machine-id)
  --sequence N           report sequence (default: max(collector's last + 1, now in ms))
  --timeout-ms MS        deadline for each exchange (default 15000)
  --ca-file FILE         verify the collector's certificate against this CA
  --collector-fingerprint SHA256   or/and pin the collector's certificate
  --insecure-plaintext   no TLS (only to a collector on loopback)
  --node-key-file FILE   the node key (read; written 0600 after enrolling)
  --enroll-secret-file FILE   enroll first when FILE given to --node-key-file is missing
Prints the asset id on success (exit 0); a collector error is printed and exits 1.
)";

}  // namespace

int RunPushCommand(const Args& args) {
  for (const auto& arg : args) {
    if (arg == "--help" || arg == "-h") {
      std::fputs(kPushUsage, stdout);
      return 0;
    }
  }
  auto flags = Flags::Parse(
      args,
      {"--collector", "--root", "--addresses", "--node-id", "--sequence", "--timeout-ms",
       "--ca-file", "--collector-fingerprint", "--node-key-file", "--enroll-secret-file"},
      {"--insecure-plaintext"});
  if (!flags.ok() || !flags->Has("--collector")) {
    std::fprintf(stderr, "estate-agent push: %s\n%s",
                 flags.ok() ? "--collector is required" : flags.status().message().c_str(),
                 kPushUsage);
    return 2;
  }
  auto endpoint = ParseEndpoint(*flags->Get("--collector"));
  if (!endpoint.ok()) {
    std::fprintf(stderr, "estate-agent push: %s\n", endpoint.status().ToString().c_str());
    return 2;
  }
  std::optional<uint64_t> sequence;
  if (auto text = flags->Get("--sequence")) {
    sequence = ParseUint(*text);
    if (!sequence || *sequence == 0) {
      std::fprintf(stderr, "estate-agent push: --sequence needs a positive integer\n");
      return 2;
    }
  }
  auto timeout_ms = ParseUint(flags->GetOr("--timeout-ms", "15000"));
  if (!timeout_ms || *timeout_ms == 0) {
    std::fprintf(stderr, "estate-agent push: --timeout-ms needs a positive integer\n");
    return 2;
  }

  auto tls = MakeTlsClientOptions(flags->GetOr("--ca-file", ""),
                                  flags->GetOr("--collector-fingerprint", ""),
                                  flags->Has("--insecure-plaintext"));
  if (!tls.ok()) {
    std::fprintf(stderr, "estate-agent push: %s\n", tls.status().message().c_str());
    return 2;
  }
  const std::string key_file = flags->GetOr("--node-key-file", "");
  std::string node_key, enroll_secret;
  if (!key_file.empty()) {
    if (auto key = ReadSecretFile(key_file, "node key file"); key.ok()) node_key = *key;
  }
  if (node_key.empty() && flags->Has("--enroll-secret-file")) {
    if (key_file.empty()) {
      std::fprintf(stderr,
                   "estate-agent push: --enroll-secret-file needs --node-key-file, "
                   "where the issued key is kept\n");
      return 2;
    }
    auto secret = ReadSecretFile(*flags->Get("--enroll-secret-file"), "enroll secret file");
    if (!secret.ok()) {
      std::fprintf(stderr, "estate-agent push: %s\n", secret.status().message().c_str());
      return 2;
    }
    enroll_secret = *secret;
  }

  InventorySource source(flags->GetOr("--root", "/"), flags->GetOr("--addresses", ""));
  v1::HostFacts facts = source.Collect();
  const std::string node_id = flags->GetOr("--node-id", facts.machine_id());
  if (node_id.empty()) {
    std::fprintf(stderr, "estate-agent push: no machine-id on this host; pass --node-id\n");
    return 1;
  }

  CollectorClientOptions options;
  options.collector = *endpoint;
  options.kind = v1::PEER_KIND_AGENT;
  options.node_id = node_id;
  options.hostname = facts.hostname();
  options.software_version = ESTATE_VERSION;
  options.timeout = std::chrono::milliseconds(*timeout_ms);
  options.tls = *tls;
  options.node_key = node_key;
  options.enroll_secret = enroll_secret;
  options.save_node_key = [&key_file](const std::string& key) {
    return WriteSecretFile(key_file, key);
  };
  CollectorClient client(options);
  if (Status st = client.Connect(); !st.ok()) {
    std::fprintf(stderr, "estate-agent push: %s\n", st.ToString().c_str());
    return 1;
  }
  if (!sequence) {
    const uint64_t now_ms =
        static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count());
    sequence = std::max(client.hello_ack().last_sequence() + 1, now_ms);
  }

  v1::Frame request;
  auto* report = request.mutable_full_report();
  report->set_sequence(*sequence);
  report->set_collected_at(std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count());
  *report->mutable_facts() = std::move(facts);
  auto answer = client.Call(std::move(request));
  client.Close();
  if (!answer.ok()) {
    std::fprintf(stderr, "estate-agent push: %s\n", answer.status().ToString().c_str());
    return 1;
  }
  if (answer->has_error()) {
    const auto& error = answer->error();
    std::fprintf(stderr, "estate-agent push: collector error %s: %s\n",
                 ShortEnumName("ErrorCode", v1::ErrorCode_Name(error.code())).c_str(),
                 error.message().c_str());
    return 1;
  }
  if (!answer->has_ack()) {
    std::fprintf(stderr, "estate-agent push: collector answered with neither ack nor error\n");
    return 1;
  }
  std::fprintf(stderr, "estate-agent push: sequence %llu acknowledged by %s\n",
               static_cast<unsigned long long>(answer->ack().sequence()),
               endpoint->ToString().c_str());
  std::printf("%s\n", answer->ack().asset_id().c_str());
  return 0;
}

}  // namespace estate::agent
