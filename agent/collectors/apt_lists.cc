#include "agent/collectors/apt_lists.h"

#include <cstring>

#include "estate/text.h"
#include "estate/version_compare.h"

namespace estate::agent {

AptRelease ParseAptRelease(std::string_view text) {
  AptRelease out;
  bool started = false;
  for (std::string_view line : Split(text, '\n')) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // InRelease: "-----BEGIN PGP SIGNED MESSAGE-----", "Hash: SHA512", a blank line, then the
    // fields.
    if (StartsWith(line, "-----BEGIN PGP SIGNED")) {
      started = false;
      continue;
    }
    if (Trim(line).empty()) {
      if (started) break;
      continue;
    }
    if (StartsWith(line, "Hash:") && !started) continue;
    started = true;
    if (line.front() == ' ') continue;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view key = line.substr(0, colon);
    const std::string value(Trim(line.substr(colon + 1)));
    if (key == "Origin") out.origin = value;
    if (key == "Label") out.label = value;
    if (key == "Suite") out.suite = value;
    if (key == "Codename") out.codename = value;
  }
  return out;
}

AptListScanner::AptListScanner(const std::vector<AptWanted>& wanted)
    : wanted_(wanted), carried_(wanted.size(), Carried::kNo) {
  by_name_.reserve(wanted.size());
  for (uint32_t i = 0; i < wanted.size(); ++i) by_name_[wanted[i].name].push_back(i);
}

void AptListScanner::Feed(std::string_view chunk) {
  size_t pos = 0;
  if (!carry_.empty()) {
    const size_t nl = chunk.find('\n');
    if (nl == std::string_view::npos) {
      carry_.append(chunk);
      return;
    }
    carry_.append(chunk.substr(0, nl));
    Line(carry_);
    carry_.clear();
    pos = nl + 1;
  }
  while (pos < chunk.size()) {
    if (skip_) {
      if (chunk[pos] == '\n') {  // a blank line: the stanza ends
        EndStanza();
        ++pos;
        continue;
      }
      // The stanza of a package nobody installed: straight to its end.
      const void* blank = ::memmem(chunk.data() + pos, chunk.size() - pos, "\n\n", 2);
      if (blank == nullptr) {
        const size_t last = chunk.rfind('\n');
        if (last == std::string_view::npos || last < pos) {
          carry_.assign(chunk.substr(pos));
          return;
        }
        pos = last + 1;
        continue;
      }
      // Past the blank line.
      pos = static_cast<size_t>(static_cast<const char*>(blank) - chunk.data()) + 2;
      EndStanza();
      continue;
    }
    const size_t nl = chunk.find('\n', pos);
    if (nl == std::string_view::npos) {
      carry_.assign(chunk.substr(pos));
      return;
    }
    Line(chunk.substr(pos, nl - pos));
    pos = nl + 1;
  }
}

void AptListScanner::Finish() {
  if (!carry_.empty()) {
    Line(carry_);
    carry_.clear();
  }
  EndStanza();
}

void AptListScanner::Line(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.empty()) {
    EndStanza();
    return;
  }
  in_stanza_ = true;
  if (skip_ || line.front() == ' ' || line.front() == '\t') return;
  auto value = [&](size_t key_length) { return Trim(line.substr(key_length)); };
  if (StartsWith(line, "Package:")) {
    name_.assign(value(8));
    if (!by_name_.count(name_)) skip_ = true;
  } else if (StartsWith(line, "Version:")) {
    version_.assign(value(8));
  } else if (StartsWith(line, "Architecture:")) {
    architecture_.assign(value(13));
  }
}

void AptListScanner::EndStanza() {
  if (!in_stanza_) return;
  ++stanzas_;
  if (!skip_) {
    if (name_.empty() || version_.empty()) {
      ++malformed_;
    } else if (auto it = by_name_.find(name_); it != by_name_.end()) {
      for (uint32_t i : it->second) {
        const AptWanted& w = wanted_[i];
        if (!architecture_.empty() && w.architecture != architecture_) continue;
        if (w.version == version_) {
          carried_[i] = Carried::kExact;
        } else if (carried_[i] == Carried::kNo && CompareVersions(version_, w.version) > 0) {
          carried_[i] = Carried::kNewer;
        }
      }
    }
  }
  name_.clear();
  version_.clear();
  architecture_.clear();
  in_stanza_ = skip_ = false;
}

}  // namespace estate::agent
