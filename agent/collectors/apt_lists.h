// Parsers for apt's package lists (/var/lib/apt/lists): the Origin and Suite
// of a Release/InRelease file, and a scanner that finds installed packages in
// a Packages list fed to it in chunks, so a list of tens of MB is never held
// whole. Pure: no I/O (deb_origins.cc reads the files). Thread-compatible.
#ifndef ESTATE_AGENT_COLLECTORS_APT_LISTS_H_
#define ESTATE_AGENT_COLLECTORS_APT_LISTS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace estate::agent {

struct AptRelease {
  std::string origin, label, suite, codename;
};

// Fields of the first paragraph (InRelease's signed text included).
AptRelease ParseAptRelease(std::string_view text);

// An installed package to look for: views that outlive the scanner.
struct AptWanted {
  std::string_view name, architecture, version;
};

class AptListScanner {
 public:
  // What a list says of one wanted package.
  enum class Carried : uint8_t {
    kNo = 0,
    kNewer = 1,  // a newer version of the package (same architecture): superseded
    kExact = 2,  // this very version
  };
  explicit AptListScanner(const std::vector<AptWanted>& wanted);

  void Feed(std::string_view chunk);
  // After the last chunk.
  void Finish();

  // Indexed like `wanted`.
  const std::vector<Carried>& carried() const { return carried_; }
  size_t stanzas() const { return stanzas_; }
  // Paragraphs without Package or Version: a list that has only these is not one.
  size_t malformed() const { return malformed_; }

 private:
  void Line(std::string_view line);
  void EndStanza();

  const std::vector<AptWanted>& wanted_;
  std::unordered_map<std::string_view, std::vector<uint32_t>> by_name_;
  std::vector<Carried> carried_;
  std::string carry_;  // a line split between two chunks
  // The stanza being read; `skip_` once its Package is none of the wanted.
  std::string name_, version_, architecture_;
  bool in_stanza_ = false, skip_ = false;
  size_t stanzas_ = 0, malformed_ = 0;
};

}  // namespace estate::agent

#endif  // ESTATE_AGENT_COLLECTORS_APT_LISTS_H_
