// CollectorClient: one connection from an agent or scanner to estated.
// Connects, exchanges Hello/HelloAck, then sends report frames one at a time
// and waits for the Ack or Error that answers each.
//
// Blocking, with a deadline on every exchange. Not thread-safe: one owner.
#ifndef ESTATE_COLLECTOR_CLIENT_H_
#define ESTATE_COLLECTOR_CLIENT_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "estate/endpoint.h"
#include "estate/framing.h"
#include "estate/status.h"
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
};

class CollectorClient {
 public:
  explicit CollectorClient(CollectorClientOptions options);
  ~CollectorClient();
  CollectorClient(const CollectorClient&) = delete;
  CollectorClient& operator=(const CollectorClient&) = delete;

  // Connects and says Hello. Unavailable when the collector cannot be reached.
  Status Connect();
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

  struct Impl;
  CollectorClientOptions options_;
  std::unique_ptr<Impl> impl_;
  v1::HelloAck hello_ack_;
  uint64_t next_request_id_ = 1;
};

}  // namespace estate

#endif  // ESTATE_COLLECTOR_CLIENT_H_
