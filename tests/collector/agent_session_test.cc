// The collector's agent port under bad input: each bad connection gets a clear
// error and is closed, and the collector goes on serving everyone else.
#include <gtest/gtest.h>

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
    ServerOptions options;
    options.listen = Endpoint{"127.0.0.1", 0};
    options.admin_socket = dir_.path() + "/admin.sock";
    options.session.max_frame_bytes = 64 * 1024;
    options.session.hello_timeout = std::chrono::milliseconds(500);
    // Raw bytes on the wire: these cases run on the loopback plaintext listener.
    options.insecure_plaintext = true;
    server_ =
        std::make_unique<Server>(options, *ingestor_, *store_, commands_, GetLogger("test.net"));
    ASSERT_TRUE(server_->Start().ok());
    thread_ = std::thread([this] { server_->Run(); });
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

  // A well-behaved agent can still report: the collector survived.
  void ExpectAgentCanReport(const std::string& node) {
    CollectorClientOptions options;
    options.collector = Endpoint{"127.0.0.1", server_->bound_port()};
    options.tls.insecure_plaintext = true;
    options.node_id = node;
    options.hostname = node;
    CollectorClient client(options);
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

}  // namespace
}  // namespace estate::collector
