#!/usr/bin/env bash
# Gets a single-node Docker Swarm for Meshmon on this machine, changing as little as it
# can: installs docker.io if there is no dockerd (apt, root), starts dockerd only if no
# daemon answers, and runs `docker swarm init` only if the daemon is in no swarm. Each
# thing it does is recorded under .infra/swarm/, and docker-down.sh undoes exactly those.
# Idempotent.
#
# Our dockerd: vfs storage (works on any file system, no kernel module), and no iptables,
# no docker0 bridge, no IP forwarding: with default flags dockerd sets the host's FORWARD
# policy to DROP and adds NAT rules that outlive it, which would break the lab's network
# namespaces. Meshmon's swarm stack runs on the host network and needs none of it.
#   MESHMON_DOCKER_STORAGE_DRIVER   vfs (overlay2 halves container creation where it works)
#   MESHMON_DOCKERD_READY_TIMEOUT_S 60
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mkdir -p "$STATE_DIR"
# Two starts at once would both find no daemon and both start one.
exec 9>"$STATE_DIR/up.lock"
flock -w 300 9 || fail "another docker-up.sh has held $STATE_DIR/up.lock for 300 s"

install_docker() {
  command -v dockerd >/dev/null && return 0
  ((EUID == 0)) || fail "dockerd is not installed. Run as root: apt-get install -y docker.io"
  command -v apt-get >/dev/null || fail "dockerd is not installed and there is no apt-get here"
  log "installing docker.io"
  export DEBIAN_FRONTEND=noninteractive
  # Without systemd, the package's init script would start a dockerd with default flags
  # (iptables rules, docker0). A policy-rc.d answering 101 forbids that; only ours, only
  # for the install.
  local policy=/usr/sbin/policy-rc.d ours=0
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\n# temporary, from meshmon infra/swarm/docker-up.sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    ours=1
    trap "rm -f '$policy'" EXIT
  fi
  apt-get update -qq || fail "apt-get update failed (see above)"
  apt-get install -y -qq --no-install-recommends docker.io >/dev/null ||
    fail "apt-get install docker.io failed (see above)"
  if ((ours)); then
    rm -f "$policy"
    trap - EXIT
  fi
  command -v dockerd >/dev/null || fail "docker.io is installed but there is no dockerd"
}

start_dockerd() {
  local pid
  pid="$(our_dockerd_pid)"
  if daemon_up; then
    if [[ -n "$pid" ]]; then
      log "dockerd: ours (pid $pid), running"
    else
      log "dockerd: reusing the daemon that answers ($("$DOCKER" info --format '{{.Driver}}' 2>/dev/null) storage; not started by us)"
    fi
    return 0
  fi
  if [[ -z "$pid" ]]; then
    ((EUID == 0)) || fail "no Docker daemon answers and only root can start one"
    [[ -f "$IP_FORWARD_RECORD" ]] || cat /proc/sys/net/ipv4/ip_forward >"$IP_FORWARD_RECORD"
    local driver="${MESHMON_DOCKER_STORAGE_DRIVER:-vfs}"
    echo "---- $(date -Is) infra/swarm/docker-up.sh" >>"$DOCKERD_LOG"
    (
      # Drop inherited descriptors above stderr (the lock on fd 9, a CI runner's pipe):
      # dockerd outlives this script and must not hold them.
      for fd in /proc/"$BASHPID"/fd/*; do
        fd="${fd##*/}"
        if ((fd > 2)); then eval "exec $fd>&-"; fi
      done
      exec setsid dockerd --storage-driver="$driver" --iptables=false --ip6tables=false \
        --ip-forward=false --bridge=none </dev/null >>"$DOCKERD_LOG" 2>&1
    ) &
    pid=$!
    echo "$pid" >"$DOCKERD_PIDFILE"
    disown "$pid"
    log "dockerd: started (pid $pid, $driver storage, log $DOCKERD_LOG)"
  else
    log "dockerd: ours (pid $pid), waiting for it to answer"
  fi
  local timeout="${MESHMON_DOCKERD_READY_TIMEOUT_S:-60}"
  if ! wait_for "$timeout" daemon_up; then
    echo "swarm: last lines of $DOCKERD_LOG:" >&2
    tail -n 20 "$DOCKERD_LOG" | sed 's/^/  | /' >&2
    fail "dockerd did not answer within $timeout s; bash infra/swarm/docker-down.sh stops it"
  fi
}

init_swarm() {
  local state
  state="$(swarm_state)"
  case "$state" in
    active)
      if [[ -f "$SWARM_RECORD" ]]; then log "ours, active"; else log "reusing the active swarm (not initialised by us)"; fi
      ;;
    inactive)
      # Loopback only: a one-machine swarm needs no other address, and the manager port
      # (2377) is then not reachable from outside.
      "$DOCKER" swarm init --advertise-addr 127.0.0.1 --listen-addr 127.0.0.1:2377 >/dev/null ||
        fail "docker swarm init failed (see above)"
      date -Is >"$SWARM_RECORD"
      log "initialised (single node, 127.0.0.1)"
      ;;
    *) fail "the daemon's swarm state is '${state:-unknown}'; fix it (docker swarm leave --force) and retry" ;;
  esac
}

install_docker
start_dockerd
init_swarm
