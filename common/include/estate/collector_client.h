// CollectorClient: one connection from an agent or scanner to estated.
// Connects (TLS unless insecure_plaintext on loopback), enrolls when it holds
// no node key but an enroll secret, exchanges Hello/HelloAck, then sends
// report frames one at a time and waits for the Ack or Error that answers each.
//
// Blocking, with a deadline on every exchange. Not thread-safe: one owner.
#ifndef ESTATE_COLLECTOR_CLIENT_H_
#define ESTATE_COLLECTOR_CLIENT_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "estate/endpoint.h"
#include "estate/framing.h"
#include "estate/status.h"
#include "estate/tls_client.h"
#include "estate/v1/frame.pb.h"

namespace estate {

struct CollectorClientOptions {
  Endpoint collector;
  v1::PeerKind kind = v1::PEER_KIND_AGENT;
  std::string node_id;
  std::string hostname;
  std::string software_version;
  std::chrono::milliseconds timeout{15000};
  uint32_t max_frame_bytes = kDefaultMaxFrameBytes;
  TlsClientOptions tls;
  // The key this node was given at enrollment; empty when it has none yet.
  std::string node_key;
  // Used only when node_key is empty: enroll first, then say Hello with the key.
  std::string enroll_secret;
  // Called with a freshly issued key before it is used; the node stores it
  // (an error aborts the connection, so no key is used that was not kept).
  std::function<Status(const std::string& node_key)> save_node_key;
  // A relay: the Hello sets multiplex, and further nodes say their own Enroll
  // and Hello through Call, each answered with its channel.
  bool multiplex = false;
};

class CollectorClient {
 public:
  explicit CollectorClient(CollectorClientOptions options);
  ~CollectorClient();
  CollectorClient(const CollectorClient&) = delete;
  CollectorClient& operator=(const CollectorClient&) = delete;

  // Connects and says Hello. Unavailable when the collector cannot be reached
  // or answers that it is busy (refusal_code() UNAVAILABLE, message
  // "collector busy: ...");
  // FailedPrecondition when the transport is refused (plaintext without the
  // insecure option, TLS verification failed); PermissionDenied when the
  // collector refuses the node (refusal_code() tells why).
  Status Connect();
  // The code of the collector's Error answering Enroll or Hello, if any.
  v1::ErrorCode refusal_code() const { return refusal_code_; }
  // The node key in use (after an enrollment, the new one).
  const std::string& node_key() const { return options_.node_key; }
  bool connected() const;
  // The HelloAck of the current connection.
  const v1::HelloAck& hello_ack() const { return hello_ack_; }

  // Sends `request` (its request_id is assigned here) and returns the collector's
  // answer: an Ack, or an Error frame (whose code the caller acts on). A
  // transport failure closes the connection and returns Unavailable.
  Result<v1::Frame> Call(v1::Frame request);

  void Close();

 private:
  Status Send(const v1::Frame& frame);
  Result<v1::Frame> Receive();
  Status Enroll();

  struct Impl;
  CollectorClientOptions options_;
  std::unique_ptr<Impl> impl_;
  v1::HelloAck hello_ack_;
  uint64_t next_request_id_ = 1;
  v1::ErrorCode refusal_code_ = v1::ERROR_CODE_UNSPECIFIED;
};

}  // namespace estate

#endif  // ESTATE_COLLECTOR_CLIENT_H_
