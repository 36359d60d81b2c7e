// The agent port's security with real estated processes on 127.0.0.1: TLS
// (site CA from `estatectl pki init`, or a pinned certificate), enrollment and
// node keys, revocation, per-node report rates, the connection cap and the
// TLS handshake timeout — and that no secret or key ever reaches the log.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/pem.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "estate/collector_client.h"
#include "estate/secret_file.h"
#include "estate/tls_client.h"
#include "tests/collector/temp_dir.h"
#include "tests/support/subprocess.h"

namespace estate {
namespace {

using testing::CommandResult;
using testing::Daemon;
using testing::RunCommand;
using testing::WaitFor;

const std::string kBin = ESTATE_BINARY_DIR;
const std::string kEstated = kBin + "/collector/estated";
const std::string kEstatectl = kBin + "/collector/estatectl";
const std::string kAgent = kBin + "/agent/estate-agent";

// Counts the occurrences of `needle` in `text`.
size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

std::string Fingerprint(const std::string& pem_file) {
  FILE* f = std::fopen(pem_file.c_str(), "r");
  if (f == nullptr) return "";
  X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (cert == nullptr) return "";
  std::string fp = CertificateFingerprint(cert);
  X509_free(cert);
  return fp;
}

class AgentSecurity : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = testing::FreeLoopbackPort();
    socket_ = dir_.path() + "/admin.sock";
    log_ = dir_.path() + "/estated.log";
    pki_ = dir_.path() + "/pki";
    CommandResult pki = RunCommand({kEstatectl, "pki", "init", pki_, "--ip", "127.0.0.1"});
    ASSERT_EQ(pki.exit_code, 0) << pki.err;
    auto secret = ReadSecretFile(pki_ + "/enroll-secret", "enroll secret");
    ASSERT_TRUE(secret.ok());
    secret_ = *secret;
  }

  void TearDown() override {
    if (collector_.running()) collector_.Stop(SIGTERM);
    // Whatever a test did, the log never carries a secret or a key.
    const std::string log = testing::ReadTextFile(log_);
    EXPECT_EQ(log.find(secret_), std::string::npos) << "the enroll secret is in the log";
    for (const auto& key : keys_) {
      EXPECT_EQ(log.find(key), std::string::npos) << "a node key is in the log";
    }
  }

  // estated with TLS and enrollment, plus `extra` settings lines.
  void StartCollector(const std::string& extra = "") {
    const std::string config = dir_.path() + "/estated.conf";
    std::ofstream(config) << "tls_cert = " << pki_ << "/collector.pem\n"
                          << "tls_key = " << pki_ << "/collector-key.pem\n"
                          << "enroll_secret_file = " << pki_ << "/enroll-secret\n"
                          << extra;
    ASSERT_TRUE(collector_.Start(
        {kEstated, "--config", config, "--data-dir", dir_.path() + "/data", "--listen",
         "127.0.0.1:" + std::to_string(port_), "--admin-socket", socket_},
        log_));
    ASSERT_TRUE(WaitFor([&] { return Ctl({"stats"}).exit_code == 0; }))
        << testing::ReadTextFile(log_);
  }

  CommandResult Ctl(std::vector<std::string> args) {
    args.insert(args.begin(), {kEstatectl, "--socket", socket_});
    return RunCommand(args);
  }

  nlohmann::json Stats() {
    CommandResult r = Ctl({"--json", "stats"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out, nullptr, false);
  }

  // A client trusting the site CA that enrolls `node` when it has no key.
  CollectorClientOptions Options(const std::string& node) {
    CollectorClientOptions options;
    options.collector = Endpoint{"127.0.0.1", port_};
    options.node_id = node;
    options.hostname = node + ".example";
    options.timeout = std::chrono::milliseconds(5000);
    options.tls.ca_file = pki_ + "/ca.pem";
    options.enroll_secret = secret_;
    options.save_node_key = [this, node](const std::string& key) {
      keys_.push_back(key);
      node_keys_[node] = key;
      return Status::Ok();
    };
    return options;
  }

  Result<v1::Frame> Report(CollectorClient& client, uint64_t sequence) {
    v1::Frame report;
    report.mutable_full_report()->set_sequence(sequence);
    report.mutable_full_report()->mutable_facts()->set_hostname("h" + std::to_string(sequence));
    report.mutable_full_report()->mutable_facts()->set_machine_id("machine-of-test");
    return client.Call(report);
  }

  // What a machine's agent says of its hardware identity.
  static v1::HostFacts Machine(const std::string& hostname, const std::string& serial,
                               const std::string& uuid, const std::string& machine_id) {
    v1::HostFacts facts;
    facts.set_hostname(hostname);
    facts.set_fqdn(hostname + ".corp.example");
    facts.set_machine_id(machine_id);
    facts.mutable_dmi()->set_serial(serial);
    facts.mutable_dmi()->set_uuid(uuid);
    facts.mutable_dmi()->set_system_vendor("Dell Inc.");
    return facts;
  }

  Result<v1::Frame> Report(CollectorClient& client, uint64_t sequence, const v1::HostFacts& facts) {
    v1::Frame report;
    report.mutable_full_report()->set_sequence(sequence);
    *report.mutable_full_report()->mutable_facts() = facts;
    return client.Call(report);
  }

  nlohmann::json CtlJson(std::vector<std::string> args) {
    args.insert(args.begin(), "--json");
    CommandResult r = Ctl(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.out;
    return j;
  }

  std::vector<std::string> EventSummaries(const std::string& kind) {
    std::vector<std::string> out;
    const nlohmann::json events = CtlJson({"events", "--kind", kind});
    for (const auto& e : events.at("events")) out.push_back(e.at("summary"));
    return out;
  }

  TempDir dir_;
  uint16_t port_ = 0;
  std::string socket_, log_, pki_, secret_;
  std::vector<std::string> keys_;
  std::map<std::string, std::string> node_keys_;
  Daemon collector_;
};

TEST_F(AgentSecurity, TlsHandshakeWithTheSiteCaSucceedsAndReportsAreStored) {
  StartCollector();
  CollectorClient client(Options("node-a"));
  Status st = client.Connect();
  ASSERT_TRUE(st.ok()) << st.ToString() << testing::ReadTextFile(log_);
  auto answer = Report(client, 1);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_TRUE(answer->has_ack()) << answer->DebugString();
  EXPECT_EQ(Stats().value("enrollments", 0), 1);
}

TEST_F(AgentSecurity, TlsIsRefusedWhenTheAgentTrustsAnotherCa) {
  StartCollector();
  ASSERT_EQ(RunCommand({kEstatectl, "pki", "init", dir_.path() + "/other", "--ip", "127.0.0.1"})
                .exit_code,
            0);
  CollectorClientOptions options = Options("node-a");
  options.tls.ca_file = dir_.path() + "/other/ca.pem";
  CollectorClient client(options);
  Status st = client.Connect();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("certificate"), std::string::npos) << st.message();
  EXPECT_TRUE(keys_.empty()) << "nothing may be sent before the collector is verified";
  EXPECT_TRUE(WaitFor([&] { return Stats().value("tls_failures", 0) >= 1; }));
}

TEST_F(AgentSecurity, PinnedFingerprintIsAcceptedAndAMismatchRefused) {
  StartCollector();
  CollectorClientOptions pinned = Options("node-pin");
  pinned.tls.ca_file.clear();
  pinned.tls.pinned_sha256 = Fingerprint(pki_ + "/collector.pem");
  ASSERT_EQ(pinned.tls.pinned_sha256.size(), 64u);
  CollectorClient good(pinned);
  Status st = good.Connect();
  EXPECT_TRUE(st.ok()) << st.ToString();

  pinned.tls.pinned_sha256 = Fingerprint(pki_ + "/ca.pem");  // some other certificate
  pinned.node_id = "node-pin-2";
  CollectorClient bad(pinned);
  st = bad.Connect();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("does not match the pinned"), std::string::npos) << st.message();
}

TEST_F(AgentSecurity, PlaintextIsRefusedOnBothSidesWithoutTheInsecureOption) {
  // The collector: no certificate and no insecure_plaintext -> it does not start.
  CommandResult refused = RunCommand({kEstated, "--data-dir", dir_.path() + "/plain", "--listen",
                                      "127.0.0.1:" + std::to_string(testing::FreeLoopbackPort()),
                                      "--admin-socket", dir_.path() + "/plain.sock"},
                                     std::chrono::seconds(20));
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("refusing to serve agents in plaintext"), std::string::npos)
      << refused.err;
  // insecure_plaintext is for loopback only.
  CommandResult exposed =
      RunCommand({kEstated, "--data-dir", dir_.path() + "/plain", "--listen",
                  "0.0.0.0:" + std::to_string(testing::FreeLoopbackPort()), "--admin-socket",
                  dir_.path() + "/plain.sock", "--insecure-plaintext"},
                 std::chrono::seconds(20));
  EXPECT_NE(exposed.exit_code, 0);
  EXPECT_NE(exposed.err.find("only on a loopback listener"), std::string::npos) << exposed.err;

  // The agent: no CA, no pin, no insecure option -> it does not connect.
  StartCollector();
  CollectorClientOptions options = Options("node-plain");
  options.tls.ca_file.clear();
  CollectorClient client(options);
  Status st = client.Connect();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("refusing a plaintext connection"), std::string::npos)
      << st.message();
  // A plaintext agent that insists meets the TLS listener: refused, logged as such.
  options.tls.insecure_plaintext = true;
  CollectorClient insisting(options);
  EXPECT_FALSE(insisting.Connect().ok());
  EXPECT_TRUE(WaitFor([&] { return Stats().value("tls_failures", 0) >= 1; }));
  EXPECT_TRUE(WaitFor([&] {
    return testing::ReadTextFile(log_).find("not a TLS client") != std::string::npos;
  })) << testing::ReadTextFile(log_);
  // And towards a remote address the client refuses before connecting.
  options.collector.host = "192.0.2.1";  // TEST-NET-1: never contacted
  CollectorClient remote(options);
  st = remote.Connect();
  EXPECT_NE(st.message().find("plaintext is allowed only to a loopback collector"),
            std::string::npos)
      << st.message();
}

TEST_F(AgentSecurity, EnrollmentWithAWrongSecretIsRefused) {
  StartCollector();
  CollectorClientOptions options = Options("node-x");
  options.enroll_secret = "not-the-secret";
  CollectorClient client(options);
  Status st = client.Connect();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), Status::Code::kPermissionDenied);
  EXPECT_EQ(client.refusal_code(), v1::ERROR_CODE_UNAUTHENTICATED);
  EXPECT_NE(st.message().find("wrong or missing enroll secret"), std::string::npos) << st.message();
  // Without key and secret the hello itself is refused.
  options.enroll_secret.clear();
  CollectorClient keyless(options);
  st = keyless.Connect();
  EXPECT_EQ(st.code(), Status::Code::kPermissionDenied) << st.ToString();
  nlohmann::json stats = Stats();
  EXPECT_EQ(stats.value("enroll_refused", 0), 1);
  EXPECT_EQ(stats.value("auth_refused", 0), 1);
  EXPECT_EQ(testing::ReadTextFile(log_).find("not-the-secret"), std::string::npos);
}

TEST_F(AgentSecurity, HelloWithTheNodeKeyWorksAfterEnrollingOnce) {
  StartCollector();
  {
    CollectorClient first(Options("node-k"));
    ASSERT_TRUE(first.Connect().ok());
  }
  ASSERT_EQ(node_keys_.count("node-k"), 1u);
  CollectorClientOptions options = Options("node-k");
  options.enroll_secret.clear();  // the key alone
  options.node_key = node_keys_["node-k"];
  CollectorClient again(options);
  Status st = again.Connect();
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_TRUE(Report(again, 7)->has_ack());
  // Enrolling the same node id a second time is refused: the secret does not
  // let anyone take over an enrolled node.
  CollectorClient thief(Options("node-k"));
  EXPECT_EQ(thief.Connect().code(), Status::Code::kPermissionDenied);

  // The agent binary keeps its key 0600 and uses it on the next push.
  const std::string key_file = dir_.path() + "/push.key";
  std::vector<std::string> push = {kAgent,
                                   "push",
                                   "--collector",
                                   "127.0.0.1:" + std::to_string(port_),
                                   "--ca-file",
                                   pki_ + "/ca.pem",
                                   "--node-id",
                                   "node-push",
                                   "--node-key-file",
                                   key_file,
                                   "--enroll-secret-file",
                                   pki_ + "/enroll-secret"};
  CommandResult pushed = RunCommand(push);
  ASSERT_EQ(pushed.exit_code, 0) << pushed.err << testing::ReadTextFile(log_);
  struct stat info {};
  ASSERT_EQ(::stat(key_file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  keys_.push_back(*ReadSecretFile(key_file, "key"));
  push.resize(push.size() - 2);  // no secret: the key must do
  pushed = RunCommand(push);
  EXPECT_EQ(pushed.exit_code, 0) << pushed.err;

  CommandResult agents = Ctl({"--json", "agents"});
  ASSERT_EQ(agents.exit_code, 0) << agents.err;
  nlohmann::json list = nlohmann::json::parse(agents.out).at("agents");
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].at("node_id"), "node-k");
  EXPECT_EQ(list[0].at("last_address"), "127.0.0.1");
  EXPECT_EQ(list[0].at("revoked"), false);
  EXPECT_GT(list[0].at("enrolled_at").get<int64_t>(), 0);
  EXPECT_EQ(agents.out.find(node_keys_["node-k"]), std::string::npos);
  CommandResult table = Ctl({"agents"});
  EXPECT_NE(table.out.find("LAST ADDRESS"), std::string::npos) << table.out;
}

TEST_F(AgentSecurity, RevokeCutsOffALiveSessionAtOnceAndRefusesLaterHellos) {
  StartCollector();
  CollectorClient client(Options("node-r"));
  ASSERT_TRUE(client.Connect().ok());
  ASSERT_TRUE(Report(client, 1)->has_ack());

  CommandResult revoke = Ctl({"revoke", "node-r"});
  ASSERT_EQ(revoke.exit_code, 0) << revoke.err;
  // The open connection is closed by the collector: the next call fails.
  EXPECT_TRUE(WaitFor([&] { return Stats().value("revoked_sessions_closed", 0) == 1; },
                      std::chrono::seconds(5)));
  EXPECT_FALSE(Report(client, 2).ok());

  CollectorClientOptions options = Options("node-r");
  options.enroll_secret.clear();
  options.node_key = node_keys_["node-r"];
  CollectorClient again(options);
  Status st = again.Connect();
  EXPECT_EQ(st.code(), Status::Code::kPermissionDenied);
  EXPECT_NE(st.message().find("revoked"), std::string::npos) << st.message();
  // Re-enrolling with the secret does not undo a revocation.
  CollectorClient reenroll(Options("node-r"));
  EXPECT_NE(reenroll.Connect().message().find("revoked"), std::string::npos);

  nlohmann::json list = nlohmann::json::parse(Ctl({"--json", "agents"}).out).at("agents");
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].at("revoked"), true);
  // Revocation survives a restart.
  ASSERT_EQ(collector_.Stop(SIGTERM), 0);
  StartCollector();
  CollectorClient after_restart(options);
  EXPECT_EQ(after_restart.Connect().code(), Status::Code::kPermissionDenied);
  // --forget lets the node id enroll again.
  ASSERT_EQ(Ctl({"revoke", "node-r", "--forget"}).exit_code, 0);
  CollectorClient fresh(Options("node-r"));
  EXPECT_TRUE(fresh.Connect().ok());
}

TEST_F(AgentSecurity, ANodeKeyCannotSpeakForAnotherNode) {
  StartCollector();
  for (const char* node : {"node-a", "node-b"}) {
    CollectorClient client(Options(node));
    ASSERT_TRUE(client.Connect().ok());
  }
  // node-a's key, presented as node-b, to report node-b's facts.
  CollectorClientOptions options = Options("node-b");
  options.enroll_secret.clear();
  options.node_key = node_keys_["node-a"];
  CollectorClient impostor(options);
  Status st = impostor.Connect();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(impostor.refusal_code(), v1::ERROR_CODE_UNAUTHENTICATED);
  EXPECT_NE(st.message().find("not the one issued to node node-b"), std::string::npos)
      << st.message();
  EXPECT_EQ(Stats().value("auth_refused", 0), 1);
  EXPECT_EQ(Stats().value("full_reports", -1), 0);
}

// A relay speaks for many nodes: one node's wrong key or secret refuses that
// node only, the others keep reporting; a relay that keeps guessing is closed.
TEST_F(AgentSecurity, ARelayLosesOnlyTheRefusedNodeUntilItKeepsGuessing) {
  StartCollector();
  {
    CollectorClient enroll_b(Options("relay-b"));
    ASSERT_TRUE(enroll_b.Connect().ok());
  }
  CollectorClientOptions options = Options("relay-a");
  options.multiplex = true;
  CollectorClient relay(options);
  ASSERT_TRUE(relay.Connect().ok());
  auto hello = [](const std::string& node, const std::string& key) {
    v1::Frame frame;
    auto* h = frame.mutable_hello();
    h->set_protocol_version(kProtocolVersion);
    h->set_kind(v1::PEER_KIND_AGENT);
    h->set_node_id(node);
    h->set_hostname(node + ".example");
    h->set_node_key(key);
    return frame;
  };
  auto wrong = relay.Call(hello("relay-b", std::string(64, '0')));
  ASSERT_TRUE(wrong.ok()) << wrong.status().ToString();
  ASSERT_TRUE(wrong->has_error());
  EXPECT_EQ(wrong->error().code(), v1::ERROR_CODE_UNAUTHENTICATED);
  v1::Frame bad_enroll;
  bad_enroll.mutable_enroll()->set_enroll_secret("not-the-secret");
  bad_enroll.mutable_enroll()->set_node_id("relay-c");
  auto refused = relay.Call(bad_enroll);
  ASSERT_TRUE(refused.ok()) << refused.status().ToString();
  EXPECT_EQ(refused->error().code(), v1::ERROR_CODE_UNAUTHENTICATED);
  // The connection still speaks for relay-a, and now for relay-b with its own key.
  EXPECT_TRUE(Report(relay, 1)->has_ack());
  auto right = relay.Call(hello("relay-b", node_keys_["relay-b"]));
  ASSERT_TRUE(right.ok() && right->has_hello_ack()) << right->DebugString();
  EXPECT_EQ(right->hello_ack().channel(), 1u);
  v1::Frame for_b;
  for_b.set_channel(1);
  for_b.mutable_full_report()->set_sequence(1);
  for_b.mutable_full_report()->mutable_facts()->set_hostname("relay-b");
  for_b.mutable_full_report()->mutable_facts()->set_machine_id("machine-of-relay-b");
  auto acked = relay.Call(for_b);
  ASSERT_TRUE(acked.ok() && acked->has_ack()) << acked->DebugString();
  EXPECT_EQ(acked->channel(), 1u);
  // Guessing on: after 16 refusals the relay is cut off.
  bool closed = false;
  for (int i = 0; i < 20 && !closed; ++i) {
    auto guess = relay.Call(hello("relay-b", std::string(64, 'a' + i % 6)));
    closed = !guess.ok() || !relay.connected();
  }
  EXPECT_TRUE(closed) << "the relay should be closed after repeated refusals";
  EXPECT_EQ(Stats().value("auth_refused", 0), 16);  // one, then 15 guesses
  EXPECT_EQ(Stats().value("enroll_refused", 0), 1);
}

TEST_F(AgentSecurity, RateLimitAndConnectionCapRefusalsAreCountedAndLoggedOncePerClient) {
  StartCollector("report_rate_per_minute = 1\nreport_burst = 2\nmax_connections = 2\n");
  CollectorClient client(Options("node-rate"));
  ASSERT_TRUE(client.Connect().ok());
  int acked = 0, limited = 0;
  for (uint64_t seq = 1; seq <= 6; ++seq) {
    auto answer = Report(client, seq);
    ASSERT_TRUE(answer.ok()) << answer.status().ToString();
    if (answer->has_ack()) ++acked;
    if (answer->has_error()) {
      EXPECT_EQ(answer->error().code(), v1::ERROR_CODE_RATE_LIMITED);
      EXPECT_GT(answer->error().retry_after_ms(), 0u);
      ++limited;
    }
  }
  EXPECT_EQ(acked, 2);
  EXPECT_EQ(limited, 4);

  // Two connections are open (client + this one); more are refused.
  CollectorClient second(Options("node-cap"));
  ASSERT_TRUE(second.Connect().ok());
  // Over TLS too the refusal is one the agent can read: "collector busy".
  for (int i = 0; i < 3; ++i) {
    CollectorClient over(Options("node-over-" + std::to_string(i)));
    Status st = over.Connect();
    EXPECT_EQ(st.code(), Status::Code::kUnavailable) << st.ToString();
    EXPECT_NE(st.message().find("collector busy"), std::string::npos) << st.message();
    EXPECT_EQ(over.refusal_code(), v1::ERROR_CODE_UNAVAILABLE);
  }
  EXPECT_TRUE(keys_.size() == 2u) << "no node over the cap was enrolled";
  // The agent binary says so too.
  CommandResult push =
      RunCommand({kAgent, "push", "--collector", "127.0.0.1:" + std::to_string(port_), "--ca-file",
                  pki_ + "/ca.pem", "--node-id", "node-push-busy", "--node-key-file",
                  dir_.path() + "/busy.key", "--enroll-secret-file", pki_ + "/enroll-secret"});
  EXPECT_NE(push.exit_code, 0);
  EXPECT_NE(push.err.find("collector busy"), std::string::npos) << push.err;
  nlohmann::json stats = Stats();
  EXPECT_EQ(stats.value("rate_limited", 0), 4);
  EXPECT_EQ(stats.value("connections_refused", 0), 4);
  const std::string log = testing::ReadTextFile(log_);
  EXPECT_EQ(Count(log, "over its report rate"), 1u) << log;
  EXPECT_EQ(Count(log, "connection refused"), 1u) << log;
}

TEST_F(AgentSecurity, SlowlorisThatNeverFinishesTheHandshakeIsDropped) {
  StartCollector("tls_handshake_timeout_ms = 500\n");
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port_);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  // The first bytes of a TLS record, then nothing.
  const char partial[] = {0x16, 0x03, 0x01};
  ASSERT_EQ(::send(fd, partial, sizeof partial, MSG_NOSIGNAL), 3);
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  const auto start = std::chrono::steady_clock::now();
  char buf[64];
  ssize_t n = ::recv(fd, buf, sizeof buf, 0);
  const int err = errno;
  const auto waited = std::chrono::steady_clock::now() - start;
  ::close(fd);
  EXPECT_TRUE(n == 0 || (n < 0 && err == ECONNRESET)) << "the collector should close it";
  EXPECT_LT(waited, std::chrono::seconds(3));
  EXPECT_EQ(Stats().value("handshake_timeouts", 0), 1);
  EXPECT_NE(testing::ReadTextFile(log_).find("TLS handshake not finished within 500 ms"),
            std::string::npos);
}

// Issue 24 item 2: a second node enrolled with the site secret that reports
// another node's serial, DMI UUID and machine-id does not take its asset over.
TEST_F(AgentSecurity, ANodeClaimingAnotherNodesHardwareGetsItsOwnAssetAndAConflict) {
  StartCollector();
  const std::string uuid = "4c4c4544-0042-3510-8052-b4c04f333232";
  CollectorClient victim(Options("node-victim"));
  ASSERT_TRUE(victim.Connect().ok());
  auto first = Report(victim, 1, Machine("victim", "SN-VICTIM-1", uuid, "mid-victim"));
  ASSERT_TRUE(first.ok() && first->has_ack()) << first.status().ToString();
  const std::string victim_asset = first->ack().asset_id();

  CollectorClient attacker(Options("node-attacker"));
  ASSERT_TRUE(attacker.Connect().ok());
  auto claim = Report(attacker, 1, Machine("evil", "SN-VICTIM-1", uuid, "mid-victim"));
  ASSERT_TRUE(claim.ok() && claim->has_ack()) << claim.status().ToString();
  const std::string attacker_asset = claim->ack().asset_id();
  EXPECT_NE(attacker_asset, victim_asset) << "the report is kept under its own node";

  // A later report without a serial erases nothing of the victim's.
  v1::HostFacts no_serial = Machine("evil2", "", "", "");
  auto second = Report(attacker, 2, no_serial);
  ASSERT_TRUE(second.ok() && second->has_ack());
  EXPECT_EQ(second->ack().asset_id(), attacker_asset);

  const nlohmann::json record = CtlJson({"show", "SN-VICTIM-1"});
  EXPECT_EQ(record.at("id"), victim_asset);
  EXPECT_EQ(record.at("hostname"), "victim");
  EXPECT_EQ(record.at("fqdn"), "victim.corp.example");
  EXPECT_EQ(record.at("serial"), "SN-VICTIM-1");
  EXPECT_EQ(record.at("dmi_uuid"), uuid);
  EXPECT_EQ(CtlJson({"show", "victim.corp.example"}).at("id"), victim_asset);
  ASSERT_EQ(record.at("sources").size(), 1u);
  EXPECT_EQ(record.at("sources")[0].at("node_id"), "node-victim");

  // The clash is an identity_conflict naming both nodes, per identifier.
  const auto conflicts = EventSummaries("identity_conflict");
  int serial_conflicts = 0;
  for (const auto& summary : conflicts) {
    if (summary.find("serial SN-VICTIM-1") == std::string::npos) continue;
    ++serial_conflicts;
    EXPECT_NE(summary.find("node node-attacker"), std::string::npos) << summary;
    EXPECT_NE(summary.find("node node-victim"), std::string::npos) << summary;
    EXPECT_NE(summary.find(victim_asset), std::string::npos) << summary;
  }
  EXPECT_EQ(serial_conflicts, 1);
  EXPECT_GE(conflicts.size(), 3u) << "uuid, serial and machine-id each";
  // The victim's own later report is not disturbed.
  auto again = Report(victim, 2, Machine("victim", "SN-VICTIM-1", uuid, "mid-victim"));
  ASSERT_TRUE(again.ok() && again->has_ack());
  EXPECT_EQ(again->ack().asset_id(), victim_asset);
}

// Revoking with --machine bans the hardware identity: the same machine under a
// fresh node id is refused and revoked; --forget lifts the ban.
TEST_F(AgentSecurity, AMachineRevokedForGoodIsRefusedUnderANewNodeId) {
  StartCollector();
  const v1::HostFacts rogue =
      Machine("rogue", "SN-ROGUE-7", "0e7a9c00-1111-2222-3333-444455556666", "mid-rogue");
  {
    CollectorClient client(Options("node-rogue"));
    ASSERT_TRUE(client.Connect().ok());
    ASSERT_TRUE(Report(client, 1, rogue)->has_ack());
  }
  const nlohmann::json revoked = CtlJson({"revoke", "node-rogue", "--machine"});
  EXPECT_EQ(revoked.at("banned").size(), 3u) << revoked.dump();

  CollectorClient again(Options("node-rogue-2"));  // enrolls afresh with the secret
  ASSERT_TRUE(again.Connect().ok());
  auto refused = Report(again, 1, rogue);
  ASSERT_TRUE(refused.ok()) << refused.status().ToString();
  ASSERT_TRUE(refused->has_error()) << refused->DebugString();
  EXPECT_EQ(refused->error().code(), v1::ERROR_CODE_UNAUTHENTICATED);
  EXPECT_NE(refused->error().message().find("revoked"), std::string::npos);
  EXPECT_EQ(CtlJson({"assets"}).at("assets").size(), 1u) << "nothing of it was stored";
  const auto events = EventSummaries("revoked_machine");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(events[0].find("node-rogue-2"), std::string::npos) << events[0];
  // The new node id is revoked with it: its next hello is refused.
  CollectorClientOptions keyed = Options("node-rogue-2");
  keyed.enroll_secret.clear();
  keyed.node_key = node_keys_["node-rogue-2"];
  CollectorClient hello(keyed);
  EXPECT_EQ(hello.Connect().code(), Status::Code::kPermissionDenied);
  const nlohmann::json agents = CtlJson({"agents"});
  EXPECT_EQ(agents.at("banned_machines").size(), 3u);
  // The ban survives a restart; --forget of the banned node lifts it.
  ASSERT_EQ(collector_.Stop(SIGTERM), 0);
  StartCollector();
  CollectorClient third(Options("node-rogue-3"));
  ASSERT_TRUE(third.Connect().ok());
  EXPECT_TRUE(Report(third, 1, rogue)->has_error());
  ASSERT_EQ(Ctl({"revoke", "node-rogue", "--forget"}).exit_code, 0);
  CollectorClient fourth(Options("node-rogue-4"));
  ASSERT_TRUE(fourth.Connect().ok());
  EXPECT_TRUE(Report(fourth, 1, rogue)->has_ack());
}

// A machine reinstalled under a new node id: its report is kept apart until
// an admin reassigns the asset; a node whose old node was revoked takes it at once.
TEST_F(AgentSecurity, AReinstalledMachineIsReassignedToItsNewNode) {
  StartCollector();
  const v1::HostFacts before =
      Machine("build-7", "SN-BUILD-7", "11111111-2222-3333-4444-555555555555", "mid-old");
  std::string asset;
  {
    CollectorClient old_node(Options("node-old"));
    ASSERT_TRUE(old_node.Connect().ok());
    auto ack = Report(old_node, 1, before);
    ASSERT_TRUE(ack.ok() && ack->has_ack());
    asset = ack->ack().asset_id();
  }
  ASSERT_EQ(Ctl({"set", asset, "owner=build-team"}).exit_code, 0);
  v1::HostFacts reinstalled = before;
  reinstalled.set_machine_id("mid-new");  // a new install, the same hardware
  CollectorClient new_node(Options("node-new"));
  ASSERT_TRUE(new_node.Connect().ok());
  auto kept_apart = Report(new_node, 1, reinstalled);
  ASSERT_TRUE(kept_apart.ok() && kept_apart->has_ack());
  const std::string temporary = kept_apart->ack().asset_id();
  EXPECT_NE(temporary, asset);

  const nlohmann::json done = CtlJson({"reassign", asset, "--node", "node-new"});
  EXPECT_EQ(done.at("detached"), nlohmann::json::array({"node-old"}));
  EXPECT_EQ(done.at("revoked"), nlohmann::json::array({"node-old"}));
  auto next = Report(new_node, 2, reinstalled);
  ASSERT_TRUE(next.ok() && next->has_ack());
  EXPECT_EQ(next->ack().asset_id(), asset);
  const nlohmann::json record = CtlJson({"show", "SN-BUILD-7"});
  EXPECT_EQ(record.at("id"), asset);
  EXPECT_EQ(record.at("machine_id"), "mid-new");
  EXPECT_EQ(record.at("attributes").at("owner"), "build-team");
  EXPECT_EQ(CtlJson({"show", temporary}).at("id"), asset) << "the old id resolves";
  EXPECT_EQ(CtlJson({"show", "mid-new"}).at("id"), asset);
  EXPECT_NE(Ctl({"show", "mid-old"}).exit_code, 0) << "the old install's id is gone";
  EXPECT_EQ(CtlJson({"assets"}).at("assets").size(), 1u);

  // Revoked first, then reinstalled: the new node takes the asset over itself.
  ASSERT_EQ(Ctl({"revoke", "node-new"}).exit_code, 0);
  v1::HostFacts third = before;
  third.set_machine_id("mid-third");
  CollectorClient third_node(Options("node-third"));
  ASSERT_TRUE(third_node.Connect().ok());
  auto taken = Report(third_node, 1, third);
  ASSERT_TRUE(taken.ok() && taken->has_ack());
  EXPECT_EQ(taken->ack().asset_id(), asset);
  const nlohmann::json after = CtlJson({"show", asset});
  EXPECT_EQ(after.at("machine_id"), "mid-third");
  EXPECT_EQ(EventSummaries("reassigned").size(), 2u);
}

}  // namespace
}  // namespace estate
