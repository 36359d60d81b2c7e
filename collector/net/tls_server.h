// The agent listener's TLS settings: certificate chain and key files loaded
// into an OpenSSL context that speaks TLS 1.2 or later only.
#ifndef ESTATE_COLLECTOR_NET_TLS_SERVER_H_
#define ESTATE_COLLECTOR_NET_TLS_SERVER_H_

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "estate/status.h"

namespace estate::collector {

// `cert_file` holds the collector's certificate (then any intermediates), PEM;
// `key_file` its private key, PEM. Errors name the file and what is wrong.
Result<std::unique_ptr<boost::asio::ssl::context>> MakeServerTlsContext(
    const std::string& cert_file, const std::string& key_file);

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_NET_TLS_SERVER_H_
