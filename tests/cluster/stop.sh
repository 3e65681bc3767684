#!/usr/bin/env bash
# Stops the processes ClusterDeploymentTest left behind when its JVM was killed before it could stop them
# (the test also does this itself at its next start). Only a PID from a NAME.pid file whose command line
# names the work directory is signalled: TERM, then KILL after 15 s.
#   tests/cluster/stop.sh [WORK_DIR]   (default: tests/target/cluster-deployment)
set -euo pipefail
work="$(cd "${1:-$(dirname "$0")/../target/cluster-deployment}" 2>/dev/null && pwd)" || { echo "no work directory"; exit 0; }
pids=()
for f in "$work"/*.pid; do
  [ -e "$f" ] || continue
  pid="$(cat "$f")"
  if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF "$work"; then
    echo "stopping $(basename "$f" .pid) (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    pids+=("$pid")
  fi
done
for _ in $(seq 1 30); do
  alive=()
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
  [ ${#alive[@]} -eq 0 ] && exit 0
  sleep 0.5
done
for pid in "${alive[@]}"; do echo "killing pid $pid"; kill -KILL "$pid" 2>/dev/null || true; done
