#include "collector/store/pending_writes.h"

#include <algorithm>

namespace estate::collector {

uint64_t PendingWrites::HashOf(uint8_t table, std::string_view key) {
  // FNV-1a over the table byte and the key, then a final mix: keys share long
  // prefixes ("mac\0", "A-0000"), so the low bits need the whole key.
  uint64_t h = 1469598103934665603ull ^ table;
  for (unsigned char c : key) {
    h ^= c;
    h *= 1099511628211ull;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return h;
}

size_t PendingWrites::Probe(uint64_t hash, uint8_t table, std::string_view key) const {
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    if (states_[i] == SlotState::kEmpty) return i;
    if (states_[i] == SlotState::kUsed) {
      const Entry& e = slots_[i];
      if (e.hash == hash && e.table == table && Bytes(e.key) == key) return i;
    }
  }
}

void PendingWrites::Clear() {
  std::fill(states_.begin(), states_.end(), SlotState::kEmpty);
  live_ = occupied_ = 0;
  operand_links_.clear();
  undo_.clear();
  save_points_.clear();
}

void PendingWrites::Grow() {
  std::vector<Entry> old = std::move(slots_);
  std::vector<SlotState> old_states = std::move(states_);
  const size_t size = old.empty() ? 1024 : old.size() * 2;
  slots_.assign(size, Entry());
  states_.assign(size, SlotState::kEmpty);
  occupied_ = live_;
  const size_t mask = size - 1;
  for (size_t i = 0; i < old.size(); ++i) {
    if (old_states[i] != SlotState::kUsed) continue;
    size_t j = old[i].hash & mask;
    while (states_[j] != SlotState::kEmpty) j = (j + 1) & mask;
    slots_[j] = old[i];
    states_[j] = SlotState::kUsed;
  }
}

PendingWrites::Entry& PendingWrites::Upsert(uint8_t table, std::string_view key, Span key_span,
                                            bool* was_new) {
  if ((occupied_ + 1) * 4 > slots_.size() * 3) Grow();  // load factor <= 3/4
  const uint64_t hash = HashOf(table, key);
  const size_t i = Probe(hash, table, key);
  const bool present = states_[i] == SlotState::kUsed;
  *was_new = !present;
  if (!save_points_.empty()) {
    Undo undo{present, present ? slots_[i] : Entry()};
    if (!present) {
      undo.previous.hash = hash;
      undo.previous.table = table;
      undo.previous.key = key_span;
    }
    undo_.push_back(undo);
  }
  if (!present) {
    states_[i] = SlotState::kUsed;
    slots_[i] = Entry();
    slots_[i].hash = hash;
    slots_[i].table = table;
    ++live_;
    ++occupied_;
  }
  // The newest copy of the key in the buffer: older ones may be rolled back.
  slots_[i].key = key_span;
  return slots_[i];
}

void PendingWrites::Put(uint8_t table, std::string_view key, Span key_span, Span value) {
  bool was_new = false;
  Entry& e = Upsert(table, key, key_span, &was_new);
  e.kind = Kind::kPut;
  e.value = value;
  e.operands = ~0u;
}

void PendingWrites::Delete(uint8_t table, std::string_view key, Span key_span) {
  bool was_new = false;
  Entry& e = Upsert(table, key, key_span, &was_new);
  e.kind = Kind::kDelete;
  e.value = Span();
  e.operands = ~0u;
}

void PendingWrites::Merge(uint8_t table, std::string_view key, Span key_span, Span operand) {
  bool was_new = false;
  Entry& e = Upsert(table, key, key_span, &was_new);
  // A key new to the batch: the operands fold over what the store holds.
  // Otherwise they fold over the value the batch put, or over nothing after
  // its delete.
  if (was_new) e.kind = Kind::kMerge;
  operand_links_.push_back({operand, e.operands});
  e.operands = static_cast<uint32_t>(operand_links_.size() - 1);
}

const PendingWrites::Entry* PendingWrites::Find(uint8_t table, std::string_view key) const {
  if (live_ == 0) return nullptr;
  const size_t i = Probe(HashOf(table, key), table, key);
  return states_[i] == SlotState::kUsed ? &slots_[i] : nullptr;
}

std::vector<std::string_view> PendingWrites::Operands(const Entry& entry) const {
  std::vector<std::string_view> out;
  for (uint32_t link = entry.operands; link != ~0u; link = operand_links_[link].older) {
    out.push_back(Bytes(operand_links_[link].operand));
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::vector<std::pair<std::string_view, const PendingWrites::Entry*>> PendingWrites::Range(
    uint8_t table, std::string_view prefix) const {
  std::vector<std::pair<std::string_view, const Entry*>> out;
  for (size_t i = 0; i < slots_.size(); ++i) {
    if (states_[i] != SlotState::kUsed || slots_[i].table != table) continue;
    std::string_view key = Bytes(slots_[i].key);
    if (key.substr(0, prefix.size()) == prefix) out.emplace_back(key, &slots_[i]);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

void PendingWrites::SetSavePoint() { save_points_.push_back(undo_.size()); }

bool PendingWrites::RollbackToSavePoint() {
  if (save_points_.empty()) return false;
  const size_t mark = save_points_.back();
  save_points_.pop_back();
  while (undo_.size() > mark) {
    const Undo& undo = undo_.back();
    const size_t i = Probe(undo.previous.hash, undo.previous.table, Bytes(undo.previous.key));
    if (undo.was_present) {
      slots_[i] = undo.previous;
    } else if (states_[i] == SlotState::kUsed) {
      states_[i] = SlotState::kRemoved;
      --live_;
    }
    undo_.pop_back();
  }
  if (save_points_.empty()) undo_.clear();
  return true;
}

}  // namespace estate::collector
