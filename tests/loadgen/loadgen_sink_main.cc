// estate-loadgen-sink: a stand-in collector that answers every frame at once
// and stores nothing, to measure estate-loadgen's own ceiling (reports/s and
// CPU per report when the collector is never the bottleneck). Loopback
// plaintext only. A report is not parsed: only the Frame's leading request_id
// and channel are read, so the sink costs far less per report than the
// loadgen that builds it. Not a collector: docs/loadgen.md.
//
// usage: estate-loadgen-sink --listen 127.0.0.1:PORT [--max-in-flight N]

// <utility> must precede Asio's coroutine headers with Boost 1.74 + GCC 12.
// clang-format off
#include <utility>
// clang-format on

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "estate/endpoint.h"
#include "estate/framing.h"
#include "estate/v1/frame.pb.h"
#include "tests/loadgen/report_encoder.h"

namespace {

namespace asio = boost::asio;
namespace v1 = estate::v1;
using asio::awaitable;
using asio::use_awaitable;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

// A varint at `p` (bounded by `end`); false when truncated.
bool ReadVarint(const unsigned char*& p, const unsigned char* end, uint64_t* v) {
  *v = 0;
  for (int shift = 0; p < end && shift < 64; shift += 7) {
    const unsigned char b = *p++;
    *v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return true;
  }
  return false;
}

// Answers one frame: HelloAck for a Hello (a new channel each), EnrollAck for
// an Enroll, Ack for anything else.
void Answer(std::string_view payload, uint32_t max_in_flight, uint32_t* channels,
            std::string* out) {
  const auto* p = reinterpret_cast<const unsigned char*>(payload.data());
  const auto* end = p + payload.size();
  uint64_t request_id = 0, channel = 0, v = 0;
  uint32_t body = 0;
  while (p < end) {
    uint64_t tag = 0;
    if (!ReadVarint(p, end, &tag)) break;
    const auto field = static_cast<uint32_t>(tag >> 3);
    if (field == 1 && ReadVarint(p, end, &v)) {
      request_id = v;
    } else if (field == 2 && ReadVarint(p, end, &v)) {
      channel = v;
    } else {
      body = field;
      break;
    }
  }
  v1::Frame answer;
  answer.set_request_id(request_id);
  if (body == v1::Frame::kHelloFieldNumber) {
    auto* ack = answer.mutable_hello_ack();
    ack->set_protocol_version(estate::kProtocolVersion);
    ack->set_channel((*channels)++);
    ack->set_max_in_flight(max_in_flight);
    ack->set_max_frame_bytes(estate::kDefaultMaxFrameBytes);
  } else if (body == v1::Frame::kEnrollFieldNumber) {
    answer.mutable_enroll_ack()->set_node_key("sink");
  } else {
    answer.set_channel(static_cast<uint32_t>(channel));
    answer.mutable_ack();
  }
  estate::loadgen::AppendFrame(answer, out);
}

awaitable<void> Serve(tcp::socket socket, uint32_t max_in_flight) {
  socket.set_option(tcp::no_delay(true));
  std::vector<char> buffer(1 << 20);
  size_t begin = 0, end = 0;
  uint32_t channels = 0;
  std::string out;
  for (;;) {
    error_code ec;
    if (end == buffer.size()) {
      std::memmove(buffer.data(), buffer.data() + begin, end - begin);
      end -= begin;
      begin = 0;
    }
    const size_t n =
        co_await socket.async_read_some(asio::buffer(buffer.data() + end, buffer.size() - end),
                                        asio::redirect_error(use_awaitable, ec));
    if (ec) co_return;
    end += n;
    while (end - begin >= estate::kFrameHeaderBytes) {
      auto length = estate::DecodeFrameHeader(
          std::string_view(buffer.data() + begin, estate::kFrameHeaderBytes));
      if (!length.ok()) co_return;
      const size_t whole = estate::kFrameHeaderBytes + *length;
      if (whole > buffer.size()) buffer.resize(whole);
      if (end - begin < whole) break;
      Answer(std::string_view(buffer.data() + begin + estate::kFrameHeaderBytes, *length),
             max_in_flight, &channels, &out);
      begin += whole;
    }
    if (begin == end) begin = end = 0;
    if (!out.empty()) {
      co_await asio::async_write(socket, asio::buffer(out),
                                 asio::redirect_error(use_awaitable, ec));
      if (ec) co_return;
      out.clear();
    }
  }
}

awaitable<void> Listen(tcp::acceptor& acceptor, uint32_t max_in_flight) {
  for (;;) {
    error_code ec;
    tcp::socket socket = co_await acceptor.async_accept(asio::redirect_error(use_awaitable, ec));
    if (ec) co_return;
    asio::co_spawn(acceptor.get_executor(), Serve(std::move(socket), max_in_flight),
                   asio::detached);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string listen;
  uint32_t max_in_flight = 64;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::string(argv[i]) == "--listen") listen = argv[i + 1];
    if (std::string(argv[i]) == "--max-in-flight") max_in_flight = std::stoul(argv[i + 1]);
  }
  auto endpoint = estate::ParseEndpoint(listen);
  if (!endpoint.ok() || endpoint->port == 0 || !estate::IsLoopbackHost(endpoint->host)) {
    std::fprintf(stderr,
                 "usage: estate-loadgen-sink --listen 127.0.0.1:PORT [--max-in-flight N]\n");
    return 2;
  }
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address(endpoint->host), endpoint->port));
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const error_code&, int) { io.stop(); });
  asio::co_spawn(io, Listen(acceptor, max_in_flight), asio::detached);
  io.run();
  return 0;
}
