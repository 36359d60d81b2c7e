#include "estate/collector_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <optional>
#include <utility>  // before Asio (Boost 1.74 + GCC 12)

namespace estate {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

struct CollectorClient::Impl {
  asio::io_context io;
  ssl::context context{ssl::context::tls_client};
  // Rebuilt by each Connect: a TLS stream cannot be reused after a close.
  std::optional<ssl::stream<tcp::socket>> stream;
  bool tls = false;

  tcp::socket& socket() { return stream->next_layer(); }

  Impl() { stream.emplace(io, context); }

  // Runs the queued async operation until it completes or `timeout` passes;
  // on timeout the socket is closed, which completes the operation with an error.
  bool RunFor(std::chrono::milliseconds timeout) {
    io.restart();
    io.run_for(timeout);
    if (!io.stopped()) {
      boost::system::error_code ignored;
      socket().close(ignored);
      io.restart();
      io.run();
      return false;
    }
    return true;
  }

  template <typename Buffers, typename Handler>
  void AsyncRead(const Buffers& buffers, Handler&& handler) {
    if (tls) {
      asio::async_read(*stream, buffers, std::forward<Handler>(handler));
    } else {
      asio::async_read(socket(), buffers, std::forward<Handler>(handler));
    }
  }
  template <typename Buffers, typename Handler>
  void AsyncWrite(const Buffers& buffers, Handler&& handler) {
    if (tls) {
      asio::async_write(*stream, buffers, std::forward<Handler>(handler));
    } else {
      asio::async_write(socket(), buffers, std::forward<Handler>(handler));
    }
  }
};

CollectorClient::CollectorClient(CollectorClientOptions options)
    : options_(std::move(options)), impl_(std::make_unique<Impl>()) {}

CollectorClient::~CollectorClient() = default;

bool CollectorClient::connected() const { return impl_->socket().is_open(); }

void CollectorClient::Close() {
  boost::system::error_code ignored;
  // No TLS close_notify round trip: every exchange is already answered, and a
  // peer that went away must not stall the close.
  impl_->socket().shutdown(tcp::socket::shutdown_both, ignored);
  impl_->socket().close(ignored);
}

Status CollectorClient::Connect() {
  Close();
  refusal_code_ = v1::ERROR_CODE_UNSPECIFIED;
  const std::string where = options_.collector.ToString();
  ESTATE_RETURN_IF_ERROR(CheckClientTransport(options_.tls, options_.collector.host));
  impl_->tls = options_.tls.tls();
  if (impl_->tls) {
    impl_->stream.reset();
    impl_->context = ssl::context(ssl::context::tls_client);
    ESTATE_RETURN_IF_ERROR(ConfigureClientContext(impl_->context.native_handle(), options_.tls));
  }
  impl_->stream.emplace(impl_->io, impl_->context);

  boost::system::error_code ec;
  tcp::resolver resolver(impl_->io);
  auto endpoints =
      resolver.resolve(options_.collector.host, std::to_string(options_.collector.port), ec);
  if (ec) return Status::Unavailable("cannot resolve collector " + where + ": " + ec.message());
  boost::system::error_code connect_ec = asio::error::timed_out;
  asio::async_connect(
      impl_->socket(), endpoints,
      [&](const boost::system::error_code& e, const tcp::endpoint&) { connect_ec = e; });
  if (!impl_->RunFor(options_.timeout) || connect_ec) {
    Close();
    return Status::Unavailable("cannot connect to collector " + where + ": " +
                               (connect_ec ? connect_ec.message() : "timed out"));
  }
  impl_->socket().set_option(tcp::no_delay(true), ec);
  if (!impl_->tls && !impl_->socket().remote_endpoint(ec).address().is_loopback()) {
    // "localhost" may resolve elsewhere; plaintext is for loopback only.
    Close();
    return Status::FailedPrecondition("refusing insecure_plaintext: " + where +
                                      " is not a loopback address");
  }
  if (impl_->tls) {
    SSL* ssl = impl_->stream->native_handle();
    ESTATE_RETURN_IF_ERROR(ConfigureClientConnection(ssl, options_.tls, options_.collector.host));
    boost::system::error_code handshake_ec = asio::error::timed_out;
    impl_->stream->async_handshake(ssl::stream_base::client,
                                   [&](const boost::system::error_code& e) { handshake_ec = e; });
    if (!impl_->RunFor(options_.timeout) || handshake_ec) {
      Close();
      std::string why = handshake_ec ? handshake_ec.message() : "timed out";
      if (long verify = SSL_get_verify_result(ssl); verify != X509_V_OK) {
        why = X509_verify_cert_error_string(verify);
      }
      return Status::FailedPrecondition(
          "TLS handshake with collector " + where + " failed: " + why +
          " (is ca_file the CA that signed the collector's certificate, and does the "
          "collector serve TLS?)");
    }
    if (Status pin = CheckPeerPin(ssl, options_.tls); !pin.ok()) {
      Close();
      return Status::FailedPrecondition("collector " + where + ": " + pin.message());
    }
  }

  if (options_.node_key.empty() && !options_.enroll_secret.empty()) {
    ESTATE_RETURN_IF_ERROR(Enroll());
  }

  v1::Frame hello_frame;
  hello_frame.set_request_id(next_request_id_++);
  auto* hello = hello_frame.mutable_hello();
  hello->set_protocol_version(kProtocolVersion);
  hello->set_min_protocol_version(kMinProtocolVersion);
  hello->set_kind(options_.kind);
  hello->set_node_id(options_.node_id);
  hello->set_hostname(options_.hostname);
  hello->set_software_version(options_.software_version);
  hello->set_node_key(options_.node_key);
  hello->set_multiplex(options_.multiplex);
  ESTATE_RETURN_IF_ERROR(Send(hello_frame));
  auto answer = Receive();
  if (!answer.ok()) {
    // A TLS listener drops a plaintext hello without a word: say what it likely means.
    if (!impl_->tls && answer.status().code() == Status::Code::kUnavailable) {
      return Status::Unavailable(answer.status().message() +
                                 " (a collector serving TLS closes plaintext connections: set "
                                 "ca_file or collector_fingerprint)");
    }
    return answer.status();
  }
  if (answer->has_error()) {
    Close();
    refusal_code_ = answer->error().code();
    // At its connection cap (or short of memory for peers not yet
    // authenticated) the collector says "collector busy": try again later.
    if (refusal_code_ == v1::ERROR_CODE_UNAVAILABLE) {
      return Status::Unavailable(answer->error().message());
    }
    const std::string message = "collector refused hello: " + answer->error().message();
    if (refusal_code_ == v1::ERROR_CODE_UNAUTHENTICATED) return Status::PermissionDenied(message);
    return Status::FailedPrecondition(message);
  }
  if (!answer->has_hello_ack()) {
    Close();
    return Status::Corruption("collector answered hello with an unexpected message");
  }
  hello_ack_ = answer->hello_ack();
  return Status::Ok();
}

Status CollectorClient::Enroll() {
  v1::Frame frame;
  frame.set_request_id(next_request_id_++);
  auto* enroll = frame.mutable_enroll();
  enroll->set_enroll_secret(options_.enroll_secret);
  enroll->set_node_id(options_.node_id);
  enroll->set_hostname(options_.hostname);
  enroll->set_kind(options_.kind);
  ESTATE_RETURN_IF_ERROR(Send(frame));
  auto answer = Receive();
  if (!answer.ok()) return answer.status();
  if (answer->has_error()) {
    Close();
    refusal_code_ = answer->error().code();
    if (refusal_code_ == v1::ERROR_CODE_UNAVAILABLE) {
      return Status::Unavailable(answer->error().message());
    }
    return Status::PermissionDenied("collector refused enrollment: " + answer->error().message());
  }
  if (!answer->has_enroll_ack() || answer->enroll_ack().node_key().empty()) {
    Close();
    return Status::Corruption("collector answered enroll with an unexpected message");
  }
  const std::string key = answer->enroll_ack().node_key();
  if (options_.save_node_key) {
    if (Status st = options_.save_node_key(key); !st.ok()) {
      Close();
      return Status::IoError("cannot keep the node key: " + st.message());
    }
  }
  options_.node_key = key;
  return Status::Ok();
}

Result<v1::Frame> CollectorClient::Call(v1::Frame request) {
  if (!connected()) return Status::Unavailable("not connected to the collector");
  request.set_request_id(next_request_id_++);
  ESTATE_RETURN_IF_ERROR(Send(request));
  auto answer = Receive();
  if (!answer.ok()) return answer.status();
  if (answer->request_id() != request.request_id() && !answer->has_error()) {
    Close();
    return Status::Corruption("collector answered request " + std::to_string(request.request_id()) +
                              " with an answer to " + std::to_string(answer->request_id()));
  }
  return answer;
}

Status CollectorClient::Send(const v1::Frame& frame) {
  auto bytes = EncodeFrame(frame, options_.max_frame_bytes);
  if (!bytes.ok()) return bytes.status();
  boost::system::error_code write_ec = asio::error::timed_out;
  impl_->AsyncWrite(asio::buffer(*bytes),
                    [&](const boost::system::error_code& e, size_t) { write_ec = e; });
  if (!impl_->RunFor(options_.timeout) || write_ec) {
    Close();
    return Status::Unavailable("sending to collector failed: " +
                               (write_ec ? write_ec.message() : std::string("timed out")));
  }
  return Status::Ok();
}

Result<v1::Frame> CollectorClient::Receive() {
  char header[kFrameHeaderBytes];
  boost::system::error_code read_ec = asio::error::timed_out;
  impl_->AsyncRead(asio::buffer(header),
                   [&](const boost::system::error_code& e, size_t) { read_ec = e; });
  if (!impl_->RunFor(options_.timeout) || read_ec) {
    Close();
    return Status::Unavailable("no answer from collector: " +
                               (read_ec ? read_ec.message() : std::string("timed out")));
  }
  auto length =
      DecodeFrameHeader(std::string_view(header, sizeof header), options_.max_frame_bytes);
  if (!length.ok()) {
    Close();
    return length.status();
  }
  std::string payload(*length, '\0');
  read_ec = asio::error::timed_out;
  impl_->AsyncRead(asio::buffer(payload),
                   [&](const boost::system::error_code& e, size_t) { read_ec = e; });
  if (!impl_->RunFor(options_.timeout) || read_ec) {
    Close();
    return Status::Unavailable("truncated answer from collector: " +
                               (read_ec ? read_ec.message() : std::string("timed out")));
  }
  v1::Frame frame;
  Status st = DecodeFramePayload(payload, &frame);
  if (!st.ok()) {
    Close();
    return st;
  }
  return frame;
}

}  // namespace estate
