#include "collector/reconcile/title_host_index.h"

#include <algorithm>

namespace estate::collector {
namespace {

using Installs = std::vector<std::pair<uint32_t, uint32_t>>;

Installs::iterator Find(Installs& installs, uint32_t host) {
  return std::lower_bound(
      installs.begin(), installs.end(), host,
      [](const std::pair<uint32_t, uint32_t>& e, uint32_t h) { return e.first < h; });
}

}  // namespace

std::vector<uint32_t> TitleHostIndex::Missing(const std::vector<uint32_t>& titles) const {
  std::lock_guard lock(mu_);
  std::vector<uint32_t> out;
  for (uint32_t t : titles) {
    if (!titles_.count(t)) out.push_back(t);
  }
  return out;
}

void TitleHostIndex::ForEachInstall(
    const std::vector<uint32_t>& titles,
    const std::function<void(std::string_view, uint32_t, uint32_t, uint32_t)>& fn) const {
  std::lock_guard lock(mu_);
  for (uint32_t t : titles) {
    auto it = titles_.find(t);
    if (it == titles_.end()) continue;
    for (const auto& [host, rank] : it->second) {
      const std::string& key = keys_[host];
      fn(std::string_view(key).substr(0, key.find('\0')), host, t, rank);
    }
  }
}

uint32_t TitleHostIndex::HostId(const std::string& key) {
  auto [it, added] = ids_.emplace(key, static_cast<uint32_t>(keys_.size()));
  if (added) keys_.push_back(key);
  return it->second;
}

void TitleHostIndex::Set(uint32_t title, uint32_t host, uint32_t rank) {
  auto it = titles_.find(title);
  if (it == titles_.end()) return;  // not indexed: its fill will say
  Installs& installs = it->second;
  if (installs.empty() || installs.back().first < host) {
    installs.emplace_back(host, rank);
    return;
  }
  auto at = Find(installs, host);
  if (at != installs.end() && at->first == host) {
    at->second = rank;
  } else {
    installs.insert(at, {host, rank});
  }
}

void TitleHostIndex::Erase(uint32_t title, uint32_t host) {
  auto it = titles_.find(title);
  if (it == titles_.end()) return;
  auto at = Find(it->second, host);
  if (at != it->second.end() && at->first == host) it->second.erase(at);
}

void TitleHostIndex::Rename(uint32_t host, std::string to) {
  ids_.erase(keys_[host]);
  // A set already under `to` (it should not be) gives way to the one moved there.
  if (auto old = ids_.find(to); old != ids_.end()) {
    for (auto& [title, installs] : titles_) Erase(title, old->second);
    keys_[old->second].clear();
    ids_.erase(old);
  }
  ids_.emplace(to, host);
  keys_[host] = std::move(to);
}

void TitleHostIndex::Apply(const std::vector<TitleHostOp>& ops) {
  if (ops.empty()) return;
  std::lock_guard lock(mu_);
  for (const TitleHostOp& op : ops) {
    switch (op.kind) {
      case TitleHostOp::Kind::kSet:
        Set(op.title, HostId(op.key), op.rank);
        break;
      case TitleHostOp::Kind::kErase:
        if (auto it = ids_.find(op.key); it != ids_.end()) Erase(op.title, it->second);
        break;
      case TitleHostOp::Kind::kFill: {
        Installs installs;
        installs.reserve(op.installs.size());
        for (const auto& [key, rank] : op.installs) installs.emplace_back(HostId(key), rank);
        std::sort(installs.begin(), installs.end());
        titles_[op.title] = std::move(installs);
        break;
      }
      case TitleHostOp::Kind::kMoveAsset: {
        const std::string from = op.key + '\0';
        std::vector<uint32_t> moved;
        for (uint32_t h = 0; h < keys_.size(); ++h) {
          if (keys_[h].compare(0, from.size(), from) == 0) moved.push_back(h);
        }
        for (uint32_t h : moved) Rename(h, op.to + keys_[h].substr(op.key.size()));
        break;
      }
      case TitleHostOp::Kind::kMoveKey:
        if (auto it = ids_.find(op.key); it != ids_.end()) Rename(it->second, op.to);
        break;
      case TitleHostOp::Kind::kDropKey:
        if (auto it = ids_.find(op.key); it != ids_.end()) {
          const uint32_t host = it->second;
          for (auto& [title, installs] : titles_) Erase(title, host);
          keys_[host].clear();
          ids_.erase(it);
        }
        break;
    }
  }
}

void TitleHostIndex::Clear() {
  std::lock_guard lock(mu_);
  keys_.clear();
  ids_.clear();
  titles_.clear();
}

size_t TitleHostIndex::titles() const {
  std::lock_guard lock(mu_);
  return titles_.size();
}

size_t TitleHostIndex::installs() const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& [title, installs] : titles_) n += installs.size();
  return n;
}

}  // namespace estate::collector
