// What the in-process ingest benchmarks share: a store and an Ingestor set up
// as estated sets them up, handing prepared frames over as sessions do, and
// registering an asset (serial, tag) straight in the store. Header-only; each
// bench is one executable.
#ifndef ESTATE_TESTS_BENCH_BENCH_INGEST_H_
#define ESTATE_TESTS_BENCH_BENCH_INGEST_H_

#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "collector/ingest/ingestor.h"
#include "collector/reconcile/asset_records.h"
#include "collector/store/keys.h"
#include "collector/store/records.h"
#include "collector/store/store.h"
#include "estate/logging.h"
#include "tests/bench/bench_figures.h"

namespace estate::bench {

struct Submission {
  collector::Peer peer;
  v1::Frame frame;
};

// estated's ingest options but for the queue bounds: reports are built ahead
// and handed over at once, where a session would stop reading instead.
inline collector::IngestorOptions BenchIngestorOptions() {
  collector::IngestorOptions options;
  options.max_queued_reports = 1u << 30;
  options.max_queued_bytes = SIZE_MAX;
  return options;
}

// A store (opened with `options`) and a started Ingestor over it; null (and a
// message) when either fails.
struct BenchCollector {
  std::unique_ptr<collector::Store> store;
  std::unique_ptr<collector::Ingestor> ingestor;

  static std::unique_ptr<BenchCollector> Open(
      const collector::StoreOptions& options,
      collector::IngestorOptions ingest_options = BenchIngestorOptions()) {
    auto opened = collector::Store::Open(options);
    if (!opened.ok()) {
      std::fprintf(stderr, "%s\n", opened.status().ToString().c_str());
      return nullptr;
    }
    auto out = std::make_unique<BenchCollector>();
    out->store = std::move(*opened);
    out->ingestor = std::make_unique<collector::Ingestor>(*out->store, estate::GetLogger("bench"),
                                                          std::move(ingest_options));
    if (Status st = out->ingestor->Start(); !st.ok()) {
      std::fprintf(stderr, "%s\n", st.ToString().c_str());
      return nullptr;
    }
    return out;
  }
  ~BenchCollector() {
    if (ingestor) ingestor->Stop();
    ingestor.reset();
    store.reset();
  }
};

// Hands every frame over as a session does (moved, not copied) and waits for
// every answer; returns wall seconds and adds the refused ones to `*refused`
// (the first few are printed). Empties `submissions`.
inline double SubmitAndWait(collector::Ingestor& ingestor, std::vector<Submission>& submissions,
                            uint64_t* refused) {
  std::mutex mu;
  std::condition_variable cv;
  size_t answered = 0;
  const auto start = Clock::now();
  for (auto& s : submissions) {
    ingestor.Submit(s.peer, std::move(s.frame), [&](v1::Frame answer) {
      std::lock_guard lock(mu);
      if (!answer.has_ack()) {
        if (++*refused <= 3)
          std::fprintf(stderr, "refused: %s\n", answer.error().message().c_str());
      }
      ++answered;
      cv.notify_all();
    });
  }
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return answered == submissions.size(); });
  submissions.clear();
  return Seconds(Clock::now() - start);
}

// Sets the serial (when not empty) and asset tag of the asset owning `mac`,
// as registration would, in `batch`; false when no asset has that MAC.
inline bool RegisterAsset(collector::WriteBatch& batch, const std::string& mac,
                          const std::string& serial, const std::string& tag) {
  using namespace collector;
  auto id = batch.Get(Table::kIdentity, IdentityKey(identity::kMac, mac));
  if (!id.ok() || !*id) return false;
  auto asset = GetRecord<v1::Asset>(batch, Table::kAssets, **id);
  if (!asset.ok() || !*asset) return false;
  v1::Asset before = **asset, after = **asset;
  if (!serial.empty()) after.set_serial(serial);
  (*after.mutable_attributes())["asset_tag"] = tag;
  std::vector<IdentityConflict> conflicts;
  (void)Reindex(batch, before, after, &conflicts);
  PutRecord(batch, Table::kAssets, after.id(), after);
  return true;
}

}  // namespace estate::bench

#endif  // ESTATE_TESTS_BENCH_BENCH_INGEST_H_
