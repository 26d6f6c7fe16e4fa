# Shared by infra/local/*.sh (sourced, not run). Paths, ports and small probes.
# shellcheck shell=bash

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# Everything we create lives here, so a clean-up is `stop.sh && rm -rf .infra`.
INFRA_DIR="${MESHMON_INFRA_DIR:-$REPO_ROOT/.infra}"
RUN_DIR="$INFRA_DIR/run"
CREDENTIALS_DIR="$INFRA_DIR/credentials"
LOG_DIR="$INFRA_DIR/logs"

# Clients and tests read MESHMON_{NATS,REDIS,INFLUX}_URL; these defaults match theirs.
NATS_PORT="${MESHMON_NATS_PORT:-4222}"
NATS_MONITOR_PORT="${MESHMON_NATS_MONITOR_PORT:-8222}"
REDIS_PORT="${MESHMON_REDIS_PORT:-6379}"
INFLUX_PORT="${MESHMON_INFLUX_PORT:-8086}"
INFLUX_RPC_PORT="${MESHMON_INFLUX_RPC_PORT:-8088}"
HOST=127.0.0.1

# nats-server lives in /usr/sbin, which a non-root PATH often lacks.
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

log() { echo "infra: $*"; }
fail() {
  echo "infra: $*" >&2
  exit 2
}

# True when something accepts TCP connections on the port (whatever it is).
port_open() {
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$HOST" "$1" 2>/dev/null
}

# "name (pid N)" of the listener, for error messages; empty when ss cannot tell.
port_holder() {
  ss -Hltnp "sport = :$1" 2>/dev/null |
    sed -n 's/.*users:(("\([^"]*\)",pid=\([0-9]*\).*/\1 (pid \2)/p' | head -1 || true
}

# The first line a NATS server sends on connect: INFO {...}, which says whether
# JetStream is on. Works without the monitoring port.
nats_info() {
  timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1" && IFS= read -r -t 2 line <&3 && printf "%s\n" "$line"' \
    "$HOST" "$NATS_PORT" 2>/dev/null || true
}

nats_up() { [[ "$(nats_info)" == INFO* ]]; }
nats_jetstream_on() { [[ "$(nats_info)" == *'"jetstream":true'* ]]; }

# Up when it answers: PONG, or NOAUTH from a server that lets nobody in without a login.
redis_up() {
  local answer
  answer="$(timeout 3 redis-cli -h "$HOST" -p "$REDIS_PORT" --no-auth-warning ping 2>/dev/null)"
  [[ "$answer" == PONG || "$answer" == NOAUTH* ]]
}

# InfluxDB answers /ping with 204 and its version in a header; 2.x does too, so the
# version is checked separately.
influx_ping_headers() {
  curl -s -o /dev/null -D - --max-time 2 "http://$HOST:$INFLUX_PORT/ping" 2>/dev/null | tr -d '\r' || true
}
influx_up() { influx_ping_headers | grep -q '^HTTP/[0-9.]* 204'; }
influx_version() {
  influx_ping_headers | sed -n 's/^[Xx]-[Ii]nfluxdb-[Vv]ersion: *//p' | head -1
}

pidfile_of() { echo "$RUN_DIR/$1.pid"; }

# kill -0 is not enough: a dead daemon whose parent never reaps it stays a zombie.
pid_alive() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ "${stat##*) }" != Z* ]]
}

# The pid from <svc>.pid if that process is alive and is still the expected binary
# (a stale pid file can name a recycled pid). Prints nothing otherwise.
our_pid() {
  local svc=$1 comm=$2 file pid
  file="$(pidfile_of "$svc")"
  [[ -f "$file" ]] || return 0
  pid="$(tr -dc '0-9' <"$file")"
  [[ -n "$pid" ]] && pid_alive "$pid" || return 0
  # comm is truncated to 15 characters by the kernel.
  [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == "${comm:0:15}" ]] && echo "$pid"
  return 0
}
