#!/usr/bin/env bash
# Installs what is missing (Debian packages) and builds Estate into ./build.
# Extra arguments go to cmake's configure step (e.g. -DESTATE_ENABLE_ASAN=ON).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
build_dir=${ESTATE_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
