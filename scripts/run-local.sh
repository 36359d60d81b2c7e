#!/usr/bin/env bash
# Estate's main job on its embedded defaults: build, start the collector with
# its RocksDB store in ./estate-data (agent port on loopback only), push this
# machine's inventory to it with the agent, and show the result.
# The collector keeps running; stop it with: kill "$(cat estate-data/estated.pid)"
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
bin=build
data=estate-data
listen=127.0.0.1:4790
mkdir -p "$data"

if ! "$bin/collector/estatectl" --socket "$data/admin.sock" stats >/dev/null 2>&1; then
  echo "==> starting estated (store: $data/inventory, agents: $listen, log: $data/estated.log)"
  nohup "$bin/collector/estated" --data-dir "$data" --listen "$listen" >>"$data/estated.log" 2>&1 &
  echo $! >"$data/estated.pid"
  for _ in $(seq 1 100); do
    "$bin/collector/estatectl" --socket "$data/admin.sock" stats >/dev/null 2>&1 && break
    sleep 0.1
  done
else
  echo "==> estated already running on $data/admin.sock"
fi

echo "==> estate-agent push --collector $listen"
asset=$("$bin/agent/estate-agent" push --collector "$listen")
echo
echo "==> estatectl assets"
"$bin/collector/estatectl" --socket "$data/admin.sock" assets
echo
echo "==> estatectl show $asset"
"$bin/collector/estatectl" --socket "$data/admin.sock" show "$asset"
echo
echo "Collector still running (pid $(cat "$data/estated.pid" 2>/dev/null || echo '?')). Try:"
echo "  $bin/collector/estatectl --socket $data/admin.sock history $asset"
echo "  kill \$(cat $data/estated.pid)   # stop it"
