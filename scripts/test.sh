#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs every CTest test,
# then builds the libFuzzer targets with clang and runs each one briefly
# (scripts/test-fuzz.sh, docs/fuzzing.md). ESTATE_SKIP_FUZZ=1 skips that stage.
# Tests needing root or a network-namespace lab skip with a message without them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
(cd build && ctest --output-on-failure -j "$(nproc)" --timeout 900)
if [ "${ESTATE_SKIP_FUZZ:-0}" != 1 ]; then
  bash scripts/test-fuzz.sh "${ESTATE_FUZZ_SECONDS:-10}"
fi
