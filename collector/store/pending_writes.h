// PendingWrites: the index beside a plain rocksdb::WriteBatch that lets reads
// through the batch see its own writes (read-your-writes) for the cost of one
// hash probe. It copies nothing: entries are offsets of keys and values inside
// the batch's own buffer (which only grows, or shrinks back to a save point),
// so one group of thousands of reports costs one array of entries.
// RocksDB's WriteBatchWithIndex keeps a skiplist of copies instead, which
// cost more than the reconciliation itself.
//
// Save points nest; rolling back restores every entry changed since the
// matching SetSavePoint. Not thread-safe (one batch, one thread).
#ifndef ESTATE_COLLECTOR_STORE_PENDING_WRITES_H_
#define ESTATE_COLLECTOR_STORE_PENDING_WRITES_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace estate::collector {

class PendingWrites {
 public:
  enum class Kind : uint8_t {
    kPut,     // `value`, then the operands (if any) folded over it
    kDelete,  // gone, then the operands (if any) folded over nothing
    kMerge,   // the operands folded, oldest first, over what the store holds
  };
  // Where bytes live in the batch buffer.
  struct Span {
    uint32_t offset = 0;
    uint32_t size = 0;
  };
  struct Entry {
    uint64_t hash = 0;
    Span key;
    uint8_t table = 0;
    Kind kind = Kind::kPut;
    Span value;               // kPut
    uint32_t operands = ~0u;  // newest merge operand in operand_links_, ~0u: none
  };

  // Folds `operand` into `existing` (nullptr: no value) as the table's merge
  // operator does; false when either side is unparsable.
  using MergeFn = bool (*)(const std::string_view* existing, std::string_view operand,
                           std::string* merged);

  // `buffer` is the batch's buffer (it may reallocate as it grows): spans are
  // resolved against it on read.
  explicit PendingWrites(const std::string* buffer) : buffer_(buffer) {}

  // Record a write the batch just appended: `key_span` and `value` (or
  // `operand`) say where its bytes are in the buffer.
  void Put(uint8_t table, std::string_view key, Span key_span, Span value);
  void Delete(uint8_t table, std::string_view key, Span key_span);
  void Merge(uint8_t table, std::string_view key, Span key_span, Span operand);

  // nullptr when the batch has not touched the key.
  const Entry* Find(uint8_t table, std::string_view key) const;
  // The merge operands of `entry`, oldest first.
  std::vector<std::string_view> Operands(const Entry& entry) const;
  std::string_view Bytes(Span span) const {
    return std::string_view(*buffer_).substr(span.offset, span.size);
  }
  // Touched keys of `table` starting with `prefix`, in key order.
  std::vector<std::pair<std::string_view, const Entry*>> Range(uint8_t table,
                                                               std::string_view prefix) const;

  // Forgets every write, keeping the memory (a batch reused for the next group).
  void Clear();

  void SetSavePoint();
  // False when there is no save point.
  bool RollbackToSavePoint();
  size_t size() const { return live_; }

 private:
  enum class SlotState : uint8_t { kEmpty, kUsed, kRemoved };
  static uint64_t HashOf(uint8_t table, std::string_view key);
  // The slot holding the key, or the empty slot that ends its probe sequence.
  size_t Probe(uint64_t hash, uint8_t table, std::string_view key) const;
  Entry& Upsert(uint8_t table, std::string_view key, Span key_span, bool* was_new);
  void Grow();

  const std::string* buffer_;
  std::vector<Entry> slots_;  // open addressing, linear probing, power-of-two size
  std::vector<SlotState> states_;
  size_t live_ = 0;
  size_t occupied_ = 0;  // used + removed: what decides growth
  struct OperandLink {
    Span operand;
    uint32_t older = ~0u;
  };
  std::vector<OperandLink> operand_links_;
  // Undo log: an entry before a change (was_present false: the key was new).
  struct Undo {
    bool was_present;
    Entry previous;
  };
  std::vector<Undo> undo_;
  std::vector<size_t> save_points_;  // undo_ sizes
};

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_STORE_PENDING_WRITES_H_
