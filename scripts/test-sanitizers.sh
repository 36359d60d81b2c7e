#!/usr/bin/env bash
# The whole test suite built with AddressSanitizer and UndefinedBehaviorSanitizer
# (-DESTATE_ENABLE_ASAN=ON, gcc) in ./build-asan: every unit, integration and
# end-to-end test runs the instrumented estated, estate-agent and estatectl.
# Any sanitizer report fails the test it happens in. Not part of .ci/run (it
# doubles the suite's time); run it before a release or after touching parsers.
# Extra arguments go to ctest (e.g. -R Dpkg, -L integration).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
build_dir=${ESTATE_ASAN_BUILD_DIR:-build-asan}
# -O1 -g1: what the sanitizers recommend (readable stacks), and a much quicker build than -O2 -g.
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1" -DESTATE_ENABLE_ASAN=ON \
  -DESTATE_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
# halt_on_error: the first report ends the process, so the test fails where it happened.
# The suppression file holds only reports from system libraries (each says why).
export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0}
cd "$build_dir"
ctest --output-on-failure -j "$(nproc)" --timeout 1800 "$@"
