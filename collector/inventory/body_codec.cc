#include "collector/inventory/body_codec.h"

#include <zlib.h>

namespace estate::collector {

BodyEncoding DetectBodyEncoding(std::string_view body) {
  if (body.size() >= 2) {
    const auto b0 = static_cast<unsigned char>(body[0]);
    const auto b1 = static_cast<unsigned char>(body[1]);
    if (b0 == 0x1f && b1 == 0x8b) return BodyEncoding::kGzip;
    // RFC 1950: deflate (CM 8), a window of at most 32 KiB, FCHECK.
    if ((b0 & 0x0f) == 8 && (b0 >> 4) <= 7 && ((b0 << 8) | b1) % 31 == 0) {
      return BodyEncoding::kZlib;
    }
  }
  return BodyEncoding::kPlain;
}

Result<std::string> DecodeBody(std::string_view body, size_t max_bytes, BodyEncoding* encoding) {
  const BodyEncoding kind = DetectBodyEncoding(body);
  if (encoding) *encoding = kind;
  if (kind == BodyEncoding::kPlain) {
    if (body.size() > max_bytes) {
      return Status::InvalidArgument("body over " + std::to_string(max_bytes) + " bytes");
    }
    return std::string(body);
  }
  z_stream z{};
  // 15 + 32: a zlib or a gzip header, whichever it is.
  if (inflateInit2(&z, 15 + 32) != Z_OK) return Status::Unavailable("zlib: cannot initialise");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  z.avail_in = static_cast<uInt>(body.size());
  std::string out;
  out.resize(std::min<size_t>(max_bytes, std::max<size_t>(body.size() * 4, 64 << 10)));
  int rc = Z_OK;
  while (true) {
    if (z.total_out == out.size()) {
      if (out.size() >= max_bytes) {
        rc = Z_BUF_ERROR;
        break;
      }
      out.resize(std::min(max_bytes, out.size() * 2));
    }
    z.next_out = reinterpret_cast<Bytef*>(out.data() + z.total_out);
    z.avail_out = static_cast<uInt>(out.size() - z.total_out);
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK) break;
    if (z.avail_in == 0 && z.avail_out != 0) {
      rc = Z_DATA_ERROR;  // the stream ends before its end marker
      break;
    }
  }
  const size_t produced = z.total_out;
  std::string message = z.msg ? z.msg : "";
  inflateEnd(&z);
  if (rc == Z_BUF_ERROR && produced >= max_bytes) {
    return Status::InvalidArgument("inflates to more than " + std::to_string(max_bytes) + " bytes");
  }
  if (rc != Z_STREAM_END) {
    return Status::InvalidArgument("corrupt compressed body" +
                                   (message.empty() ? std::string() : ": " + message));
  }
  out.resize(produced);
  return out;
}

Result<std::string> EncodeBody(std::string_view text, BodyEncoding encoding) {
  if (encoding == BodyEncoding::kPlain) return std::string(text);
  z_stream z{};
  // 15: zlib framing; 15 + 16: gzip framing.
  const int window = encoding == BodyEncoding::kGzip ? 15 + 16 : 15;
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, window, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Status::Unavailable("zlib: cannot initialise");
  }
  std::string out(deflateBound(&z, static_cast<uLong>(text.size())) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return Status::Unavailable("zlib: deflate failed");
  return out;
}

std::string_view ContentTypeFor(BodyEncoding encoding, std::string_view plain_type) {
  switch (encoding) {
    case BodyEncoding::kZlib:
      return "application/x-compress-zlib";
    case BodyEncoding::kGzip:
      return "application/x-compress-gzip";
    default:
      return plain_type;
  }
}

}  // namespace estate::collector
