// FakeCollector: a loopback-only stand-in for estated that speaks the wire
// protocol for one connection at a time and answers each report with what the
// test scripted. Runs on its own thread; Frames() is safe to call after Stop().
#ifndef ESTATE_TESTS_AGENT_COMMANDS_FAKE_COLLECTOR_H_
#define ESTATE_TESTS_AGENT_COMMANDS_FAKE_COLLECTOR_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "estate/framing.h"
#include "estate/v1/frame.pb.h"

namespace estate::agent::testing {

class FakeCollector {
 public:
  // Answers a report frame; the default acks it as asset "asset-1".
  using Handler = std::function<v1::Frame(const v1::Frame& request)>;

  explicit FakeCollector(uint64_t last_sequence = 0) : last_sequence_(last_sequence) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(listen_fd_, 8);
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    handler_ = [this](const v1::Frame& request) {
      v1::Frame answer;
      uint64_t seq = request.has_full_report() ? request.full_report().sequence()
                                               : request.delta_report().sequence();
      answer.mutable_ack()->set_sequence(seq);
      answer.mutable_ack()->set_asset_id("asset-1");
      last_sequence_ = seq;
      return answer;
    };
    thread_ = std::thread([this] { Serve(); });
  }

  ~FakeCollector() { Stop(); }

  void Stop() {
    if (stopping_.exchange(true)) return;
    ::shutdown(listen_fd_, SHUT_RDWR);
    ::close(listen_fd_);
    if (thread_.joinable()) thread_.join();
  }

  void set_handler(Handler handler) {
    std::lock_guard<std::mutex> lock(mu_);
    handler_ = std::move(handler);
  }
  // Answers every Hello with this Error (e.g. UNAVAILABLE "collector busy").
  void set_hello_refusal(v1::Error error) {
    std::lock_guard<std::mutex> lock(mu_);
    hello_refusal_ = std::move(error);
  }
  uint16_t port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  std::vector<v1::Frame> Frames() {
    std::lock_guard<std::mutex> lock(mu_);
    return frames_;
  }
  // Bytes on the wire of each report frame received (header included).
  std::vector<size_t> FrameSizes() {
    std::lock_guard<std::mutex> lock(mu_);
    return sizes_;
  }
  uint64_t last_sequence() const { return last_sequence_; }
  // Frames that did not parse (answered BAD_FRAME).
  int bad_frames() {
    std::lock_guard<std::mutex> lock(mu_);
    return bad_frames_;
  }

 private:
  void Serve() {
    while (!stopping_) {
      int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) return;
      ServeConnection(fd);
      ::close(fd);
    }
  }

  void ServeConnection(int fd) {
    FrameDecoder decoder;
    char buf[65536];
    for (;;) {
      std::string payload;
      Status st = decoder.Next(&payload);
      if (st.IsNotFound()) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0) return;
        decoder.Append(std::string_view(buf, static_cast<size_t>(n)));
        continue;
      }
      if (!st.ok()) return;
      v1::Frame request;
      v1::Frame answer;
      if (!request.ParseFromString(payload)) {
        // As estated: a frame that does not parse (invalid UTF-8 in a string
        // field, say) is answered BAD_FRAME, and the connection closes.
        std::lock_guard<std::mutex> lock(mu_);
        ++bad_frames_;
        answer.mutable_error()->set_code(v1::ERROR_CODE_BAD_FRAME);
        auto bytes = EncodeFrame(answer);
        if (bytes.ok()) (void)!::write(fd, bytes->data(), bytes->size());
        return;
      }
      if (request.has_hello()) {
        std::lock_guard<std::mutex> lock(mu_);
        if (hello_refusal_) {
          *answer.mutable_error() = *hello_refusal_;
        } else {
          answer.mutable_hello_ack()->set_protocol_version(1);
          answer.mutable_hello_ack()->set_last_sequence(last_sequence_);
        }
      } else {
        std::lock_guard<std::mutex> lock(mu_);
        frames_.push_back(request);
        sizes_.push_back(payload.size() + kFrameHeaderBytes);
        answer = handler_(request);
      }
      answer.set_request_id(request.request_id());
      auto bytes = EncodeFrame(answer);
      if (!bytes.ok() || ::write(fd, bytes->data(), bytes->size()) < 0) return;
      // Errors after which estated closes the connection (frame.proto).
      const v1::ErrorCode code =
          answer.has_error() ? answer.error().code() : v1::ERROR_CODE_UNSPECIFIED;
      if (code == v1::ERROR_CODE_BAD_FRAME || code == v1::ERROR_CODE_UNKNOWN_MESSAGE ||
          code == v1::ERROR_CODE_PROTOCOL) {
        return;
      }
    }
  }

  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<uint64_t> last_sequence_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  Handler handler_;
  std::optional<v1::Error> hello_refusal_;
  std::vector<v1::Frame> frames_;
  std::vector<size_t> sizes_;
  int bad_frames_ = 0;
  std::thread thread_;
};

}  // namespace estate::agent::testing

#endif  // ESTATE_TESTS_AGENT_COMMANDS_FAKE_COLLECTOR_H_
