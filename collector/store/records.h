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
  batch.Put(table, key, message.SerializeAsString());
}

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_STORE_RECORDS_H_
