#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang, ASan and UBSan into ./build-fuzz
# and runs each for a fixed time on a copy of its seed corpus. Any crash, sanitizer
# report, leak or per-input timeout fails the script and prints the reproducer's path.
# Nothing is sent on the network. Longer runs and reproducing: docs/fuzzing.md.
#
# usage: scripts/test-fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   (default 10 s, all targets)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
shift $(($# > 0 ? 1 : 0))
build_dir=${ESTATE_FUZZ_BUILD_DIR:-build-fuzz}

# Only the fuzzers and the libraries they link: no tests, benchmarks or daemons.
# -O1 builds quicker and keeps stack traces close to the source; asserts stay on.
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only" \
  -DESTATE_ENABLE_FUZZERS=ON -DESTATE_BUILD_TESTS=OFF -DESTATE_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$build_dir" --target estate_fuzzers -j "$(nproc)"

if [ $# -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cd tests/fuzz && ls -- *_fuzzer.cc | sed 's/_fuzzer\.cc$//')
fi
artifacts="$build_dir/fuzz-artifacts"
mkdir -p "$artifacts"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

failed=0
for target in "${targets[@]}"; do
  # A copy: what the run adds to the corpus must not land in the source tree.
  corpus="$work/$target"
  mkdir -p "$corpus"
  cp -- tests/fuzz/corpus/"$target"/* "$corpus"/
  log="$artifacts/$target.log"
  rm -f -- "$artifacts/$target"-*
  if "$build_dir/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=30 \
    -rss_limit_mb=2560 -print_final_stats=1 -artifact_prefix="$artifacts/$target-" \
    "$corpus" >"$log" 2>&1; then
    done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)
    printf 'fuzz %-18s ok   %s\n' "$target" "${done_line:-(no summary)}"
  else
    failed=1
    printf 'fuzz %-18s FAILED, log %s\n' "$target" "$log"
    grep -E 'ERROR: |SUMMARY: |runtime error' "$log" | head -5 || true
    grep -E 'Test unit written to' "$log" | sed 's/.*Test unit written to /  reproducer: /' || true
  fi
done
if [ "$failed" -ne 0 ]; then
  echo "fuzz: a target failed; reproduce with $build_dir/tests/fuzz/fuzz_TARGET REPRODUCER" >&2
  exit 1
fi
