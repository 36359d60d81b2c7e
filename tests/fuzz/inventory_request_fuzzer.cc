// Foreign agents' inventory requests as the inventory listener hands them to
// HandleInventoryRequest: a body (zlib, gzip or plain; FusionInventory or OCS
// XML, GLPI Agent JSON) and a User-Agent. Bombs, truncated streams, DOCTYPEs
// and entities, deep nesting, declared and wrong encodings must be refused
// with a 4xx, never crash, hang or take more than the inflated-size bound.
//
// Input: one mode byte, then the body. Mode bits 0-1 choose the User-Agent
// (FusionInventory, OCS, GLPI Agent, none); bits 2-3 whether the fuzzer
// wraps the body in zlib or gzip itself (so mutations reach the parsers
// behind a valid stream) or passes it as it is (so they reach the inflater).
//
// Checked on every accepted inventory: the mapped facts are a well-formed
// Protobuf message (text fields UTF-8), as the ingest path needs, and every
// reply decodes in the wrapping it claims.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "collector/inventory/body_codec.h"
#include "collector/inventory/inventory_protocol.h"

namespace estate::collector {
namespace {

constexpr const char* kUserAgents[] = {
    "FusionInventory-Agent_v2.6", "OCS-NG_unified_unix_agent_v2.10.0", "GLPI-Agent_v1.7.1", ""};

}  // namespace
}  // namespace estate::collector

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace estate::collector;
  if (size < 1) return 0;
  const uint8_t mode = data[0];
  std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
  const int wrap = (mode >> 2) & 3;
  if (wrap == 1 || wrap == 2) {
    auto wrapped = EncodeBody(body, wrap == 1 ? BodyEncoding::kZlib : BodyEncoding::kGzip);
    if (!wrapped.ok()) std::abort();
    body = std::move(*wrapped);
  }
  InventoryProtocolOptions options;
  options.max_inflated_bytes = 1u << 20;  // small, so bombs stop quickly
  InventoryReply reply = HandleInventoryRequest({body, kUserAgents[mode & 3]}, options);
  if (reply.status < 200 || reply.status > 599) std::abort();
  if (reply.status >= 400 && reply.error.empty()) std::abort();  // a refusal says why
  if (reply.report) {
    if (reply.status != 200 || reply.report->node_id.empty()) std::abort();
    std::string bytes;
    if (!reply.report->facts.SerializeToString(&bytes)) std::abort();
    estate::v1::HostFacts back;
    if (!back.ParseFromString(bytes)) std::abort();  // a text field is not UTF-8
  }
  if (reply.encoding != BodyEncoding::kPlain) {
    auto decoded = DecodeBody(reply.body, 1u << 20);
    if (!decoded.ok()) std::abort();
  }
  return 0;
}
