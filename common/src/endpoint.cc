#include "estate/endpoint.h"

#include "estate/text.h"

namespace estate {

std::string Endpoint::ToString() const {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

Result<Endpoint> ParseEndpoint(std::string_view text, uint16_t default_port) {
  text = Trim(text);
  Endpoint out;
  std::string_view port_text;
  if (StartsWith(text, "[")) {
    size_t close = text.find(']');
    if (close == std::string_view::npos) {
      return Status::InvalidArgument("endpoint '" + std::string(text) + "' has an unclosed '['");
    }
    out.host = std::string(text.substr(1, close - 1));
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') {
        return Status::InvalidArgument("endpoint '" + std::string(text) + "': expected ':PORT'");
      }
      port_text = rest.substr(1);
    }
  } else {
    size_t colon = text.rfind(':');
    if (colon != std::string_view::npos && text.find(':') != colon) {
      out.host = std::string(text);  // a bare IPv6 address
    } else if (colon != std::string_view::npos) {
      out.host = std::string(text.substr(0, colon));
      port_text = text.substr(colon + 1);
    } else {
      out.host = std::string(text);
    }
  }
  if (out.host.empty()) {
    return Status::InvalidArgument("endpoint '" + std::string(text) + "' has no host");
  }
  if (port_text.empty()) {
    if (default_port == 0) {
      return Status::InvalidArgument("endpoint '" + std::string(text) +
                                     "' needs a port (HOST:PORT)");
    }
    out.port = default_port;
  } else {
    auto port = ParseUint(port_text);
    if (!port || *port == 0 || *port > 65535) {
      return Status::InvalidArgument("endpoint '" + std::string(text) + "' has an invalid port");
    }
    out.port = static_cast<uint16_t>(*port);
  }
  return out;
}

bool IsLoopbackHost(std::string_view host) {
  return host == "localhost" || host == "::1" || StartsWith(host, "127.");
}

}  // namespace estate
