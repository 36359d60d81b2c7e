// How a decoder rejects bytes. Truncated (the frame ends before a field the
// header promised) and Malformed (a field holds an impossible value) are
// counted separately by the analyzer; Unsupported is valid traffic this
// decoder does not handle (another hardware type, a non-IPv4 ARP). None is fatal.
#ifndef ESTATE_PLUGINS_PASSIVE_DECODE_RESULT_H_
#define ESTATE_PLUGINS_PASSIVE_DECODE_RESULT_H_

#include <string_view>

#include "estate/status.h"

namespace estate::plugins {

inline Status Truncated(std::string_view what) {
  return Status::Corruption(std::string("truncated ") + std::string(what));
}
inline Status Malformed(std::string_view what) {
  return Status::InvalidArgument(std::string("malformed ") + std::string(what));
}
inline Status Unsupported(std::string_view what) {
  return Status::Unimplemented(std::string("unsupported ") + std::string(what));
}

}  // namespace estate::plugins

#endif  // ESTATE_PLUGINS_PASSIVE_DECODE_RESULT_H_
