// Typed access to the store: protobuf records in and out of tables.
#ifndef ESTATE_COLLECTOR_STORE_RECORDS_H_
#define ESTATE_COLLECTOR_STORE_RECORDS_H_

#include <optional>
#include <string>
#include <string_view>

#include "collector/store/store.h"

namespace estate::collector {

// Reads and parses a record; nullopt when absent, Corruption when unparsable.
template <typename Message>
Result<std::optional<Message>> GetRecord(ReadView& view, Table table, std::string_view key) {
  auto raw = view.Get(table, key);
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return std::optional<Message>();
  Message message;
  if (!message.ParseFromString(**raw)) {
    return Status::Corruption(std::string("unparsable record in ") + TableName(table));
  }
  return std::optional<Message>(std::move(message));
}

template <typename Message>
void PutRecord(WriteBatch& batch, Table table, std::string_view key, const Message& message) {
  // Serialized into one buffer per thread: the writer puts several records a
  // report, and the batch copies the bytes anyway.
  thread_local std::string buffer;
  buffer.clear();
  message.AppendToString(&buffer);
  batch.Put(table, key, buffer);
  if (buffer.capacity() > (1u << 20)) std::string().swap(buffer);  // after a rare huge record
}

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_STORE_RECORDS_H_
