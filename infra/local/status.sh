#!/usr/bin/env bash
# One line per service: up or down, where, and whether infra/local started it.
# Exit 0 when all are up, 1 otherwise (so scripts can ask "is it all there?").
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

all_up=true

# report <svc> <binary name> <health check> <url> <extra detail when up>
report() {
  local svc=$1 comm=$2 check=$3 url=$4 detail=$5 pid owner
  pid="$(our_pid "$svc" "$comm")"
  if "$check"; then
    owner="${pid:+started by infra/local, pid $pid}"
    printf '%-7s up    %-26s %s\n' "$svc" "$url" "${owner:-not started by infra/local}${detail:+; $detail}"
  else
    all_up=false
    printf '%-7s down  %-26s %s\n' "$svc" "$url" "${pid:+pid $pid alive but not answering}"
  fi
}

js="JetStream off"
nats_jetstream_on && js="JetStream on"
report nats nats-server nats_up "nats://$HOST:$NATS_PORT" "$js"
report redis redis-server redis_up "redis://$HOST:$REDIS_PORT" ""
report influx influxd influx_up "http://$HOST:$INFLUX_PORT" "version $(influx_version)"

$all_up
