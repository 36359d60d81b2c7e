// The one adapter from rocksdb::Status to estate::Status.
#ifndef ESTATE_COLLECTOR_STORE_ROCKSDB_STATUS_H_
#define ESTATE_COLLECTOR_STORE_ROCKSDB_STATUS_H_

#include <rocksdb/status.h>

#include "estate/status.h"

namespace estate::collector {

inline Status FromRocks(const rocksdb::Status& s) {
  if (s.ok()) return Status::Ok();
  const std::string msg = "rocksdb: " + s.ToString();
  if (s.IsNotFound()) return Status::NotFound(msg);
  if (s.IsCorruption()) return Status::Corruption(msg);
  if (s.IsInvalidArgument()) return Status::InvalidArgument(msg);
  if (s.IsNoSpace() || s.subcode() == rocksdb::Status::kSpaceLimit) {
    return Status::ResourceExhausted(msg);
  }
  if (s.IsIOError()) {
    // RocksDB reports ENOSPC as an IOError whose message carries the errno text.
    if (s.ToString().find("No space left") != std::string::npos) {
      return Status::ResourceExhausted(msg);
    }
    return Status::IoError(msg);
  }
  if (s.IsBusy() || s.IsTimedOut() || s.IsTryAgain()) return Status::Unavailable(msg);
  return Status::IoError(msg);
}

}  // namespace estate::collector

#endif  // ESTATE_COLLECTOR_STORE_ROCKSDB_STATUS_H_
