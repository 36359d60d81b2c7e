// The Asio headers and aliases the collector's network code uses.
// <utility> must precede Asio's coroutine headers with Boost 1.74 + GCC 12.
#ifndef ESTATE_COLLECTOR_NET_ASIO_H_
#define ESTATE_COLLECTOR_NET_ASIO_H_

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <utility>

namespace estate::collector {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using unix_socket = asio::local::stream_protocol;
using asio::awaitable;
using asio::use_awaitable;
using error_code = boost::system::error_code;

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_NET_ASIO_H_
