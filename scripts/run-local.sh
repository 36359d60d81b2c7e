#!/usr/bin/env bash
# Estate's main job on its embedded defaults: build, make a site CA, collector
# certificate and enroll secret (estatectl pki init, once, in ./estate-data/pki),
# start the collector with TLS and enrollment and its RocksDB store in
# ./estate-data (agent port on loopback only), push this machine's inventory to
# it with the agent (which enrolls once and keeps its node key), show the result.
# The collector keeps running; stop it with: kill "$(cat estate-data/estated.pid)"
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
bin=build
data=estate-data
pki=$data/pki
listen=127.0.0.1:4790
mkdir -p "$data"

if [ ! -f "$pki/ca.pem" ]; then
  echo "==> estatectl pki init $pki"
  "$bin/collector/estatectl" pki init "$pki"
fi

if ! "$bin/collector/estatectl" --socket "$data/admin.sock" stats >/dev/null 2>&1; then
  echo "==> starting estated (store: $data/inventory, agents: $listen over TLS, log: $data/estated.log)"
  nohup "$bin/collector/estated" --data-dir "$data" --listen "$listen" \
    --tls-cert "$pki/collector.pem" --tls-key "$pki/collector-key.pem" \
    --enroll-secret-file "$pki/enroll-secret" >>"$data/estated.log" 2>&1 &
  echo $! >"$data/estated.pid"
  for _ in $(seq 1 100); do
    "$bin/collector/estatectl" --socket "$data/admin.sock" stats >/dev/null 2>&1 && break
    sleep 0.1
  done
else
  echo "==> estated already running on $data/admin.sock"
fi

# The push enrolls with the secret the first time and keeps its node key (0600).
echo "==> estate-agent push --collector $listen --ca-file $pki/ca.pem"
asset=$("$bin/agent/estate-agent" push --collector "$listen" --ca-file "$pki/ca.pem" \
  --node-key-file "$data/push-node-key" --enroll-secret-file "$pki/enroll-secret")
echo
echo "==> estatectl agents"
"$bin/collector/estatectl" --socket "$data/admin.sock" agents
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
