#include "estate/collector_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <utility>  // before Asio (Boost 1.74 + GCC 12)

namespace estate {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct CollectorClient::Impl {
  asio::io_context io;
  tcp::socket socket{io};

  // Runs the queued async operation until it completes or `timeout` passes;
  // on timeout the socket is closed, which completes the operation with an error.
  bool RunFor(std::chrono::milliseconds timeout) {
    io.restart();
    io.run_for(timeout);
    if (!io.stopped()) {
      boost::system::error_code ignored;
      socket.close(ignored);
      io.restart();
      io.run();
      return false;
    }
    return true;
  }
};

CollectorClient::CollectorClient(CollectorClientOptions options)
    : options_(std::move(options)), impl_(std::make_unique<Impl>()) {}

CollectorClient::~CollectorClient() = default;

bool CollectorClient::connected() const { return impl_->socket.is_open(); }

void CollectorClient::Close() {
  boost::system::error_code ignored;
  impl_->socket.shutdown(tcp::socket::shutdown_both, ignored);
  impl_->socket.close(ignored);
}

Status CollectorClient::Connect() {
  Close();
  const std::string where = options_.collector.ToString();
  boost::system::error_code ec;
  tcp::resolver resolver(impl_->io);
  auto endpoints =
      resolver.resolve(options_.collector.host, std::to_string(options_.collector.port), ec);
  if (ec) return Status::Unavailable("cannot resolve collector " + where + ": " + ec.message());
  boost::system::error_code connect_ec = asio::error::timed_out;
  asio::async_connect(
      impl_->socket, endpoints,
      [&](const boost::system::error_code& e, const tcp::endpoint&) { connect_ec = e; });
  if (!impl_->RunFor(options_.timeout) || connect_ec) {
    Close();
    return Status::Unavailable("cannot connect to collector " + where + ": " +
                               (connect_ec ? connect_ec.message() : "timed out"));
  }
  impl_->socket.set_option(tcp::no_delay(true), ec);

  v1::Frame hello_frame;
  hello_frame.set_request_id(next_request_id_++);
  auto* hello = hello_frame.mutable_hello();
  hello->set_protocol_version(kProtocolVersion);
  hello->set_min_protocol_version(kMinProtocolVersion);
  hello->set_kind(options_.kind);
  hello->set_node_id(options_.node_id);
  hello->set_hostname(options_.hostname);
  hello->set_software_version(options_.software_version);
  ESTATE_RETURN_IF_ERROR(Send(hello_frame));
  auto answer = Receive();
  if (!answer.ok()) return answer.status();
  if (answer->has_error()) {
    Close();
    return Status::FailedPrecondition("collector refused hello: " + answer->error().message());
  }
  if (!answer->has_hello_ack()) {
    Close();
    return Status::Corruption("collector answered hello with an unexpected message");
  }
  hello_ack_ = answer->hello_ack();
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
  asio::async_write(impl_->socket, asio::buffer(*bytes),
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
  asio::async_read(impl_->socket, asio::buffer(header),
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
  asio::async_read(impl_->socket, asio::buffer(payload),
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
