// Enrollment and node authentication as a relay connection drives them: the
// input is a frame stream of Enroll and Hello messages (each node enrolling
// with a secret, then saying Hello with a key), handled as AgentSession does:
// NodeDirectory::Enroll writes the node's record through a real Ingestor,
// Authenticate checks each Hello's key against it, and revocation of a node
// the input enrolled is exercised too. Hostile node ids, secrets and keys
// (empty, huge, NUL, invalid UTF-8) must be refused or accepted, never crash.
//
// Enrolled nodes accumulate in the store between inputs; it is rebuilt every
// 2,000 inputs (fuzz_store.h).
#include <spdlog/logger.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "collector/auth/node_directory.h"
#include "collector/ingest/ingestor.h"
#include "estate/framing.h"
#include "tests/fuzz/fuzz_store.h"

namespace estate::collector {
namespace {

constexpr char kSecret[] = "fuzz-enroll-secret-0123456789abcdef";

std::shared_ptr<spdlog::logger> NullLogger() {
  return std::make_shared<spdlog::logger>("fuzz");  // no sinks: silent
}

struct Collector {
  Collector() : ingestor(db.store(), NullLogger(), Options()) {
    if (!ingestor.Start().ok()) std::abort();
    auto opened = NodeDirectory::Open(db.store(), ingestor, kSecret, NullLogger());
    if (!opened.ok()) std::abort();
    nodes = std::move(*opened);
  }
  ~Collector() {
    nodes->Stop();
    nodes.reset();
    ingestor.Stop();
  }
  static IngestorOptions Options() {
    IngestorOptions options;
    options.sync = false;  // nothing here needs to survive a power cut
    return options;
  }
  fuzz::FuzzStore db;
  Ingestor ingestor;
  std::unique_ptr<NodeDirectory> nodes;
};

}  // namespace
}  // namespace estate::collector

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace estate;
  using namespace estate::collector;
  Collector& collector = estate::fuzz::CollectorForNextInput<Collector>();
  FrameDecoder decoder(kDefaultMaxFrameBytes);
  decoder.Append(std::string_view(reinterpret_cast<const char*>(data), size));
  std::string payload, last_key, last_node;
  int64_t now = 1'800'000'000;
  while (decoder.Next(&payload).ok()) {
    v1::Frame frame;
    if (!DecodeFramePayload(payload, &frame).ok()) break;  // the session closes
    ++now;
    if (frame.has_enroll()) {
      v1::Enroll enroll = frame.enroll();
      // A one-byte secret stands for the right one, so enrolments succeed too.
      if (enroll.enroll_secret().size() == 1) enroll.set_enroll_secret(kSecret);
      auto key = collector.nodes->Enroll(enroll, "127.0.0.1", now);
      if (key.ok()) {
        last_key = *key;
        last_node = enroll.node_id();
        if (!collector.nodes->Authenticate(last_node, last_key).ok()) std::abort();
      }
    } else if (frame.has_hello()) {
      const v1::Hello& hello = frame.hello();
      // An empty key in the input presents the last key issued, for any node id.
      const std::string& key = hello.node_key().empty() ? last_key : hello.node_key();
      if (collector.nodes->Authenticate(hello.node_id(), key).ok()) {
        if (hello.node_id() != last_node && key == last_key) std::abort();  // another node's key
        collector.nodes->Seen(hello.node_id(), hello.hostname(), "127.0.0.1", now);
        if (hello.multiplex() && hello.node_id() == last_node) {
          // A revoked node is refused from then on.
          if (!collector.nodes->Revoke(last_node, "fuzz", now).ok()) std::abort();
          if (collector.nodes->Authenticate(last_node, last_key).ok()) std::abort();
        }
      }
    } else {
      break;  // anything else before Hello: the session closes
    }
  }
  (void)collector.nodes->List();
  return 0;
}
