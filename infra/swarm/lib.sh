# Shared by infra/swarm/*.sh (sourced, not run): where we record what we changed, so that
# docker-down.sh undoes exactly that and nothing a user had before.
# shellcheck shell=bash

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE_DIR="${MESHMON_SWARM_STATE_DIR:-$REPO_ROOT/.infra/swarm}"
# Records: present only while what they name is ours to undo.
DOCKERD_PIDFILE="$STATE_DIR/dockerd.pid"        # we started this dockerd
SWARM_RECORD="$STATE_DIR/swarm-initialised"     # we ran `docker swarm init`
IP_FORWARD_RECORD="$STATE_DIR/ip_forward.before" # net.ipv4.ip_forward before our dockerd
DOCKERD_LOG="$STATE_DIR/dockerd.log"

DOCKER="${MESHMON_DOCKER:-docker}"
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

log() { echo "swarm: $*"; }
fail() {
  echo "swarm: $*" >&2
  exit 2
}

daemon_up() { timeout 10 "$DOCKER" info >/dev/null 2>&1; }

# inactive, pending, active, error or locked; empty when no daemon answers.
swarm_state() { timeout 10 "$DOCKER" info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null || true; }

# kill -0 is not enough: a dead daemon whose parent never reaps it stays a zombie.
pid_alive() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ "${stat##*) }" != Z* ]]
}

# The pid in our record if that process is alive and still a dockerd; nothing otherwise
# (a stale record can name a recycled pid).
our_dockerd_pid() {
  [[ -f "$DOCKERD_PIDFILE" ]] || return 0
  local pid
  pid="$(tr -dc '0-9' <"$DOCKERD_PIDFILE")"
  [[ -n "$pid" ]] && pid_alive "$pid" && [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == dockerd ]] &&
    echo "$pid"
  return 0
}

# wait_for <seconds> <command...>: polls every 0.2 s; false when the time is up.
wait_for() {
  local seconds=$1 deadline
  shift
  deadline=$((SECONDS + seconds))
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}
