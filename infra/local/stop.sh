#!/usr/bin/env bash
# Stops the servers infra/local/start.sh started (those with a pid file in .infra/run),
# and nothing else: a reused server belongs to whoever started it. Data stays in .infra/.
# Idempotent.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STOP_TIMEOUT_S=20

stop_one() {
  local svc=$1 comm=$2 pid deadline
  pid="$(our_pid "$svc" "$comm")"
  if [[ -z "$pid" ]]; then
    rm -f "$(pidfile_of "$svc")"
    log "$svc: none of ours running"
    return 0
  fi
  # SIGTERM lets each flush and close: NATS its JetStream files, influxd its WAL.
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + STOP_TIMEOUT_S))
  while pid_alive "$pid" && ((SECONDS < deadline)); do
    sleep 0.2
  done
  if pid_alive "$pid"; then
    log "$svc: pid $pid ignored SIGTERM for ${STOP_TIMEOUT_S} s, killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$(pidfile_of "$svc")"
  log "$svc: stopped (pid $pid)"
}

stop_one influx influxd
stop_one redis redis-server
stop_one nats nats-server
