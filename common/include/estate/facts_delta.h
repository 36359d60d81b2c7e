// Deltas between two HostFacts, as carried by DeltaReport (frame.proto).
//
// A delta names the top-level HostFacts fields whose value changed and carries
// their new values. Software changes travel as keyed upserts and removals when
// that is smaller than resending the list and both lists are in canonical order
// (strictly sorted by name, architecture, source — agents sort their list). ApplyDelta(before,
// ComputeDelta(before, after)) == after, for any two HostFacts: the agent computes, the collector
// applies. Pure functions; thread-safe.
#ifndef ESTATE_FACTS_DELTA_H_
#define ESTATE_FACTS_DELTA_H_

#include "estate/status.h"
#include "estate/v1/frame.pb.h"

namespace estate {

// Fills replaced_fields/values/software_* of `delta` (sequence numbers are the caller's).
void ComputeDelta(const v1::HostFacts& before, const v1::HostFacts& after, v1::DeltaReport* delta);

// Applies the changes of `delta` to `facts`. InvalidArgument for a field number
// HostFacts does not have (a delta from a newer agent).
Status ApplyDelta(v1::HostFacts* facts, const v1::DeltaReport& delta);

// True when the delta carries no change at all.
bool IsEmptyDelta(const v1::DeltaReport& delta);

}  // namespace estate

#endif  // ESTATE_FACTS_DELTA_H_
