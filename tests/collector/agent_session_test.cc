// The collector's agent port under bad input: each bad connection gets a clear
// error and is closed, and the collector goes on serving everyone else.
#include <gtest/gtest.h>
#include <sys/un.h>

#include <cstdio>
#include <thread>

#include "collector/admin/command_registry.h"
#include "collector/net/server.h"
#include "estate/collector_client.h"
#include "estate/logging.h"
#include "tests/collector/temp_dir.h"
#include "tests/support/subprocess.h"

namespace estate::collector {
namespace {

class AgentPortTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Open({dir_.path() + "/db"});
    ASSERT_TRUE(store.ok());
    store_ = std::move(*store);
    ingestor_ = std::make_unique<Ingestor>(*store_, GetLogger("test.ingest"));
    ASSERT_TRUE(ingestor_->Start().ok());
    commands_ = MakeBuiltinCommands();
    StartServer(DefaultOptions());
  }

  ServerOptions DefaultOptions() {
    ServerOptions options;
    options.listen = Endpoint{"127.0.0.1", 0};
    options.admin_socket = dir_.path() + "/admin.sock";
    options.session.max_frame_bytes = 64 * 1024;
    options.session.hello_timeout = std::chrono::milliseconds(500);
    // Raw bytes on the wire: these cases run on the loopback plaintext listener.
    options.insecure_plaintext = true;
    return options;
  }

  void StartServer(const ServerOptions& options) {
    server_ =
        std::make_unique<Server>(options, *ingestor_, *store_, commands_, GetLogger("test.net"));
    ASSERT_TRUE(server_->Start().ok());
    thread_ = std::thread([this] { server_->Run(); });
  }

  // For a case that needs other settings than DefaultOptions().
  void RestartServer(const ServerOptions& options) {
    server_->Stop();
    thread_.join();
    server_.reset();
    StartServer(options);
  }

  void TearDown() override {
    server_->Stop();
    thread_.join();
    ingestor_->Stop();
  }

  // A raw TCP connection for sending arbitrary bytes.
  int RawConnect() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(server_->bound_port());
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
  }

  // Reads whatever the collector answers until it closes: the Error it sent, if any.
  std::optional<v1::Error> ReadErrorThenClose(int fd) {
    std::string bytes;
    char buf[4096];
    ssize_t n;
    while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) bytes.append(buf, static_cast<size_t>(n));
    ::close(fd);
    EXPECT_EQ(n, 0) << "the collector should close the connection";
    FrameDecoder decoder;
    decoder.Append(bytes);
    std::string payload;
    if (!decoder.Next(&payload).ok()) return std::nullopt;
    v1::Frame frame;
    if (!DecodeFramePayload(payload, &frame).ok() || !frame.has_error()) return std::nullopt;
    return frame.error();
  }

  void Send(int fd, const std::string& bytes) {
    ASSERT_EQ(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(bytes.size()));
  }

  CollectorClientOptions ClientOptions(const std::string& node) {
    CollectorClientOptions options;
    options.collector = Endpoint{"127.0.0.1", server_->bound_port()};
    options.tls.insecure_plaintext = true;
    options.node_id = node;
    options.hostname = node;
    return options;
  }

  // A well-behaved agent can still report: the collector survived.
  void ExpectAgentCanReport(const std::string& node) {
    CollectorClient client(ClientOptions(node));
    ASSERT_TRUE(client.Connect().ok());
    v1::Frame report;
    report.mutable_full_report()->set_sequence(1);
    report.mutable_full_report()->mutable_facts()->set_hostname(node);
    report.mutable_full_report()->mutable_facts()->set_machine_id(node + "-machine");
    auto answer = client.Call(report);
    ASSERT_TRUE(answer.ok()) << answer.status().ToString();
    ASSERT_TRUE(answer->has_ack()) << answer->error().message();
  }

  std::string HelloBytes() {
    v1::Frame hello;
    hello.mutable_hello()->set_protocol_version(kProtocolVersion);
    hello.mutable_hello()->set_node_id("raw-node");
    return *EncodeFrame(hello);
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Ingestor> ingestor_;
  CommandRegistry commands_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

TEST_F(AgentPortTest, OversizedFrameGetsBadFrameErrorAndClose) {
  int fd = RawConnect();
  Send(fd, std::string("\x00\x10\x00\x00", 4));  // 1 MiB announced, limit is 64 KiB
  auto error = ReadErrorThenClose(fd);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code(), v1::ERROR_CODE_BAD_FRAME);
  EXPECT_NE(error->message().find("exceeds the limit"), std::string::npos);
  ExpectAgentCanReport("after-oversized");
  EXPECT_GE(server_->counters().bad_frames.load(), 1u);
}

TEST_F(AgentPortTest, GarbageBytesGetBadFrameErrorAndClose) {
  int fd = RawConnect();
  Send(fd, std::string("\x00\x00\x00\x05\xff\xff\xff\xff\x0f", 9));
  auto error = ReadErrorThenClose(fd);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code(), v1::ERROR_CODE_BAD_FRAME);
  ExpectAgentCanReport("after-garbage");
}

TEST_F(AgentPortTest, TruncatedFrameClosesOnlyThatConnection) {
  int fd = RawConnect();
  Send(fd, std::string("\x00\x00\x01\x00partial", 11));  // 256 announced, 7 sent
  ::shutdown(fd, SHUT_WR);
  auto error = ReadErrorThenClose(fd);
  EXPECT_FALSE(error.has_value());
  ExpectAgentCanReport("after-truncated");
  EXPECT_TRUE(testing::WaitFor([&] { return server_->counters().bad_frames.load() >= 1; }));
}

TEST_F(AgentPortTest, UnknownMessageTypeGetsUnknownMessageErrorAndClose) {
  int fd = RawConnect();
  Send(fd, HelloBytes());
  // request_id 9, then field 99 (length-delimited): a body this collector does not know.
  Send(fd, std::string("\x00\x00\x00\x05\x08\x09\x9a\x06\x00", 9));
  std::string bytes;
  char buf[4096];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) bytes.append(buf, static_cast<size_t>(n));
  ::close(fd);
  FrameDecoder decoder;
  decoder.Append(bytes);
  std::string payload;
  ASSERT_TRUE(decoder.Next(&payload).ok());  // HelloAck
  ASSERT_TRUE(decoder.Next(&payload).ok());  // Error
  v1::Frame frame;
  ASSERT_TRUE(DecodeFramePayload(payload, &frame).ok());
  ASSERT_TRUE(frame.has_error());
  EXPECT_EQ(frame.error().code(), v1::ERROR_CODE_UNKNOWN_MESSAGE);
  EXPECT_EQ(frame.request_id(), 9u);
  ExpectAgentCanReport("after-unknown");
}

TEST_F(AgentPortTest, ReportBeforeHelloIsAProtocolError) {
  int fd = RawConnect();
  v1::Frame report;
  report.mutable_full_report()->set_sequence(1);
  Send(fd, *EncodeFrame(report));
  auto error = ReadErrorThenClose(fd);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code(), v1::ERROR_CODE_PROTOCOL);
}

TEST_F(AgentPortTest, UnsupportedProtocolVersionIsRefused) {
  int fd = RawConnect();
  v1::Frame hello;
  hello.mutable_hello()->set_protocol_version(99);
  hello.mutable_hello()->set_min_protocol_version(50);
  hello.mutable_hello()->set_node_id("future-agent");
  Send(fd, *EncodeFrame(hello));
  auto error = ReadErrorThenClose(fd);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code(), v1::ERROR_CODE_UNSUPPORTED_VERSION);
}

TEST_F(AgentPortTest, NewerAgentIsAnsweredInTheCommonVersion) {
  CollectorClientOptions options;
  options.collector = Endpoint{"127.0.0.1", server_->bound_port()};
  options.tls.insecure_plaintext = true;
  options.node_id = "n";
  CollectorClient client(options);
  ASSERT_TRUE(client.Connect().ok());
  EXPECT_EQ(client.hello_ack().protocol_version(), kProtocolVersion);
}

TEST_F(AgentPortTest, SilentConnectionIsClosedAfterTheHelloTimeout) {
  int fd = RawConnect();
  auto error = ReadErrorThenClose(fd);  // returns when the collector closes it
  EXPECT_FALSE(error.has_value());
  EXPECT_GE(server_->counters().timeouts.load(), 1u);
}

// Reads `n` answer frames from a raw connection.
std::vector<v1::Frame> ReadFrames(int fd, size_t n) {
  std::vector<v1::Frame> out;
  FrameDecoder decoder;
  char buf[65536];
  while (out.size() < n) {
    std::string payload;
    while (out.size() < n && decoder.Next(&payload).ok()) {
      v1::Frame frame;
      EXPECT_TRUE(DecodeFramePayload(payload, &frame).ok());
      out.push_back(std::move(frame));
      payload.clear();
    }
    if (out.size() == n) break;
    ssize_t got = ::recv(fd, buf, sizeof buf, 0);
    if (got <= 0) break;
    decoder.Append(std::string_view(buf, static_cast<size_t>(got)));
  }
  return out;
}

v1::Frame HelloFor(const std::string& node, bool multiplex, uint64_t request_id) {
  v1::Frame hello;
  hello.set_request_id(request_id);
  hello.mutable_hello()->set_protocol_version(kProtocolVersion);
  hello.mutable_hello()->set_node_id(node);
  hello.mutable_hello()->set_hostname(node);
  hello.mutable_hello()->set_kind(v1::PEER_KIND_AGENT);
  hello.mutable_hello()->set_multiplex(multiplex);
  return hello;
}

v1::Frame FullReportFor(const std::string& node, uint64_t sequence, uint32_t channel,
                        uint64_t request_id) {
  v1::Frame report;
  report.set_request_id(request_id);
  report.set_channel(channel);
  report.mutable_full_report()->set_sequence(sequence);
  auto* facts = report.mutable_full_report()->mutable_facts();
  facts->set_hostname(node);
  facts->set_machine_id(node + "-machine");
  return report;
}

TEST_F(AgentPortTest, PipelinedReportsAreEachAnsweredInOrderWithoutWaiting) {
  int fd = RawConnect();
  // Hello and twenty reports in one write: the collector reads ahead.
  std::string bytes = *EncodeFrame(HelloFor("pipelined", false, 1));
  for (uint64_t seq = 1; seq <= 20; ++seq) {
    bytes += *EncodeFrame(FullReportFor("pipelined", seq, 0, 100 + seq));
  }
  Send(fd, bytes);
  auto answers = ReadFrames(fd, 21);
  ::close(fd);
  ASSERT_EQ(answers.size(), 21u);
  ASSERT_TRUE(answers[0].has_hello_ack());
  EXPECT_GT(answers[0].hello_ack().max_in_flight(), 1u);
  for (uint64_t seq = 1; seq <= 20; ++seq) {
    const v1::Frame& a = answers[seq];
    ASSERT_TRUE(a.has_ack()) << a.error().message();
    EXPECT_EQ(a.request_id(), 100 + seq);
    EXPECT_EQ(a.ack().sequence(), seq);
  }
}

TEST_F(AgentPortTest, ARelaySpeaksForEachNodeOnItsOwnChannel) {
  int fd = RawConnect();
  std::string bytes = *EncodeFrame(HelloFor("relay-node-a", true, 1));
  bytes += *EncodeFrame(HelloFor("relay-node-b", false, 2));
  Send(fd, bytes);
  auto hellos = ReadFrames(fd, 2);
  ASSERT_EQ(hellos.size(), 2u);
  ASSERT_TRUE(hellos[0].has_hello_ack() && hellos[1].has_hello_ack());
  const uint32_t a = hellos[0].hello_ack().channel(), b = hellos[1].hello_ack().channel();
  EXPECT_EQ(a, 0u);
  EXPECT_NE(a, b);
  Send(fd, *EncodeFrame(FullReportFor("relay-node-a", 1, a, 10)) +
               *EncodeFrame(FullReportFor("relay-node-b", 1, b, 11)) +
               *EncodeFrame(FullReportFor("relay-node-b", 2, b, 12)));
  auto acks = ReadFrames(fd, 3);
  ASSERT_EQ(acks.size(), 3u);
  for (const auto& ack : acks) ASSERT_TRUE(ack.has_ack()) << ack.error().message();
  EXPECT_EQ(acks[0].channel(), a);
  EXPECT_EQ(acks[1].channel(), b);
  EXPECT_NE(acks[0].ack().asset_id(), acks[1].ack().asset_id());  // two machines, two assets
  EXPECT_EQ(acks[1].ack().asset_id(), acks[2].ack().asset_id());
  // Each node's own sequence was stored under its own node id.
  EXPECT_EQ(*ReportApplier::LastSequence(*store_, "relay-node-a"), 1u);
  EXPECT_EQ(*ReportApplier::LastSequence(*store_, "relay-node-b"), 2u);
  // A channel no hello opened is a protocol error that closes the connection.
  Send(fd, *EncodeFrame(FullReportFor("relay-node-c", 1, 7, 13)));
  auto error = ReadErrorThenClose(fd);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code(), v1::ERROR_CODE_PROTOCOL);
  EXPECT_NE(error->message().find("channel 7"), std::string::npos);
}

TEST_F(AgentPortTest, ASecondHelloWithoutMultiplexIsRefused) {
  int fd = RawConnect();
  Send(fd,
       *EncodeFrame(HelloFor("single-a", false, 1)) + *EncodeFrame(HelloFor("single-b", false, 2)));
  auto answers = ReadFrames(fd, 2);
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_TRUE(answers[0].has_hello_ack());
  ASSERT_TRUE(answers[1].has_error());
  EXPECT_EQ(answers[1].error().code(), v1::ERROR_CODE_PROTOCOL);
  EXPECT_NE(answers[1].error().message().find("hello sent twice"), std::string::npos);
  char byte;
  EXPECT_EQ(::recv(fd, &byte, 1, 0), 0) << "the collector should close the connection";
  ::close(fd);
}

// issue 24: a report whose text is not UTF-8 used to cost the connection
// (BAD_FRAME), so the agent, resending it, never got past it. It is refused
// alone, by request id, and the node's next report is taken on the same
// connection.
TEST_F(AgentPortTest, AReportWithInvalidUtf8IsRefusedAloneAndTheConnectionGoesOn) {
  int fd = RawConnect();
  v1::Frame bad = FullReportFor("latin1-node", 1, 0, 2);
  bad.mutable_full_report()->mutable_facts()->set_hostname("b\xfcro");
  Send(fd, *EncodeFrame(HelloFor("latin1-node", false, 1)) + *EncodeFrame(bad) +
               *EncodeFrame(FullReportFor("latin1-node", 2, 0, 3)));
  auto answers = ReadFrames(fd, 3);
  ::close(fd);
  ASSERT_EQ(answers.size(), 3u);
  EXPECT_TRUE(answers[0].has_hello_ack());
  ASSERT_TRUE(answers[1].has_error());
  EXPECT_EQ(answers[1].request_id(), 2u);
  EXPECT_EQ(answers[1].error().code(), v1::ERROR_CODE_INVALID_REPORT);
  EXPECT_EQ(answers[1].error().sequence(), 1u);
  EXPECT_NE(answers[1].error().message().find("not valid UTF-8"), std::string::npos)
      << answers[1].error().message();
  ASSERT_TRUE(answers[2].has_ack()) << answers[2].error().message();
  EXPECT_EQ(answers[2].ack().sequence(), 2u);
}

// Before its hello a peer may announce at most kMaxUntrustedFrameBytes: 16 MiB
// announced in a bare header is refused at once, nothing is reserved for it.
TEST_F(AgentPortTest, BeforeHelloALargeAnnouncedFrameIsRefusedAtOnce) {
  ServerOptions options = DefaultOptions();
  options.session.max_frame_bytes = kDefaultMaxFrameBytes;
  RestartServer(options);
  int fd = RawConnect();
  Send(fd, std::string("\x01\x00\x00\x00", 4));
  auto error = ReadErrorThenClose(fd);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code(), v1::ERROR_CODE_BAD_FRAME);
  EXPECT_NE(error->message().find("limit of 65536"), std::string::npos) << error->message();
  EXPECT_NE(error->message().find("before hello"), std::string::npos) << error->message();

  // After its hello the same connection may send what max_frame_bytes allows.
  fd = RawConnect();
  v1::Frame report = FullReportFor("large-node", 1, 0, 2);
  for (int i = 0; i < 8000; ++i) {
    auto* package = report.mutable_full_report()->mutable_facts()->add_software();
    package->set_name("package-" + std::to_string(i));
    package->set_version("1.0." + std::to_string(i));
  }
  ASSERT_GT(report.ByteSizeLong(), 2 * kMaxUntrustedFrameBytes);
  Send(fd, *EncodeFrame(HelloFor("large-node", false, 1)) + *EncodeFrame(report));
  auto answers = ReadFrames(fd, 2);
  ::close(fd);
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_TRUE(answers[0].has_hello_ack());
  EXPECT_TRUE(answers[1].has_ack()) << answers[1].error().message();
}

// Read buffers of connections that have not said hello share one budget; past
// it a connection is told the collector is busy. A node that said hello no
// longer counts against it.
TEST_F(AgentPortTest, UntrustedConnectionsShareABoundedBudgetAndTheNextIsToldBusy) {
  ServerOptions options = DefaultOptions();
  options.session.hello_timeout = std::chrono::seconds(30);
  options.session.max_unauthenticated_bytes = 4 * 1024;  // four 1 KiB read buffers
  RestartServer(options);
  int trusted = RawConnect();
  Send(trusted, HelloBytes());
  ASSERT_TRUE(ReadFrames(trusted, 1).at(0).has_hello_ack());
  std::vector<int> silent;
  for (int i = 0; i < 4; ++i) {
    silent.push_back(RawConnect());
    Send(silent.back(), std::string("\x00\x00", 2));  // half a header
  }
  ASSERT_TRUE(testing::WaitFor([&] { return server_->untrusted_bytes().used() == 4 * 1024; }))
      << server_->untrusted_bytes().used();

  auto error = ReadErrorThenClose(RawConnect());
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code(), v1::ERROR_CODE_UNAVAILABLE);
  EXPECT_NE(error->message().find("collector busy"), std::string::npos) << error->message();
  EXPECT_EQ(server_->counters().unauthenticated_over_budget.load(), 1u);

  // One of them goes: its share comes back and an agent gets through.
  ::close(silent[0]);
  ASSERT_TRUE(testing::WaitFor([&] { return server_->untrusted_bytes().used() == 3 * 1024; }));
  ExpectAgentCanReport("after-budget");
  for (size_t i = 1; i < silent.size(); ++i) ::close(silent[i]);
  ::close(trusted);
}

TEST_F(AgentPortTest, AtMaxConnectionsAnAgentIsToldTheCollectorIsBusy) {
  ServerOptions options = DefaultOptions();
  options.max_connections = 1;
  RestartServer(options);
  CollectorClient first(ClientOptions("first"));
  ASSERT_TRUE(first.Connect().ok());
  ASSERT_TRUE(testing::WaitFor([&] { return server_->counters().connections_active == 1; }));

  CollectorClient second(ClientOptions("second"));
  Status st = second.Connect();
  EXPECT_EQ(st.code(), Status::Code::kUnavailable) << st.ToString();
  EXPECT_NE(st.message().find("collector busy"), std::string::npos) << st.message();
  EXPECT_EQ(second.refusal_code(), v1::ERROR_CODE_UNAVAILABLE);
  EXPECT_EQ(server_->counters().connections_refused.load(), 1u);
  // The refusal did not take the first connection's place.
  auto answer = first.Call(FullReportFor("first", 1, 0, 0));
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_TRUE(answer->has_ack());
}

class AdminSocketTest : public AgentPortTest {
 protected:
  int AdminConnect() {
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const std::string path = dir_.path() + "/admin.sock";
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
  }
};

TEST_F(AdminSocketTest, AnIdleConnectionIsClosedAfterTheAdminIdleTimeout) {
  ServerOptions options = DefaultOptions();
  options.admin_idle_timeout = std::chrono::milliseconds(300);
  RestartServer(options);
  int fd = AdminConnect();
  // A request in time is answered.
  v1::AdminRequest request;
  request.set_command("stats");
  Send(fd, *EncodeFrame(request));
  std::string bytes;
  char buf[65536];
  std::string payload;
  FrameDecoder decoder(1u << 30);
  while (!decoder.Next(&payload).ok()) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    ASSERT_GT(n, 0);
    decoder.Append(std::string_view(buf, static_cast<size_t>(n)));
  }
  v1::AdminResponse response;
  ASSERT_TRUE(DecodeFramePayload(payload, &response).ok());
  EXPECT_TRUE(response.ok()) << response.error();
  // Then silence: the collector closes the connection (well before the 5 s
  // receive timeout).
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(::recv(fd, buf, sizeof buf, 0), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
  ::close(fd);
  EXPECT_EQ(server_->counters().admin_timeouts.load(), 1u);
}

}  // namespace
}  // namespace estate::collector
