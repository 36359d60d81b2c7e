// Endpoint: a host and port given on a command line or in a config file, as
// "HOST:PORT", "[v6addr]:PORT" or "/path/to/socket" for Unix sockets.
#ifndef ESTATE_ENDPOINT_H_
#define ESTATE_ENDPOINT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "estate/status.h"

namespace estate {

struct Endpoint {
  std::string host;
  uint16_t port = 0;

  std::string ToString() const;
};

// `default_port` is used when the text has no ":PORT".
Result<Endpoint> ParseEndpoint(std::string_view text, uint16_t default_port = 0);

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopbackHost(std::string_view host);

}  // namespace estate

#endif  // ESTATE_ENDPOINT_H_
