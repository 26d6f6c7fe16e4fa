#!/usr/bin/env bash
# Undoes docker-up.sh, and only what it did: removes the named stacks (waiting until their
# containers are gone, then pruning their stopped containers and volumes), leaves the
# swarm if docker-up.sh initialised it (and removes the docker_gwbridge network swarm init
# made), and stops dockerd if docker-up.sh started it (and clears what dockerd leaves
# behind). Safe to run at any time, twice, or after a failed docker-up.sh: every step is
# best effort, and the exit code is 1 if any step failed.
#
#   bash infra/swarm/docker-down.sh [stack...]
#   MESHMON_SWARM_KEEP=1   remove the stacks only; keep the swarm and dockerd running
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

status=0
warn() {
  echo "swarm: $*" >&2
  status=1
}

stack_containers() {
  "$DOCKER" ps -aq --filter "label=com.docker.stack.namespace=$1" 2>/dev/null
}
no_running_containers() {
  [[ -z "$("$DOCKER" ps -q --filter "label=com.docker.stack.namespace=$1" 2>/dev/null)" ]]
}

# True once no container of the stack is left; removes what it finds.
remove_containers() {
  local ids
  ids="$(stack_containers "$1")"
  [[ -z "$ids" ]] && return 0
  # shellcheck disable=SC2086 # one id per word
  "$DOCKER" rm -f $ids >/dev/null 2>&1
  [[ -z "$(stack_containers "$1")" ]]
}

remove_stack() {
  local stack=$1 started=$SECONDS
  if "$DOCKER" stack ls --format '{{.Name}}' 2>/dev/null | grep -qx "$stack"; then
    "$DOCKER" stack rm "$stack" >/dev/null || warn "docker stack rm $stack failed"
  fi
  # stack rm returns at once; the tasks stop afterwards (up to their stop grace period).
  wait_for 120 no_running_containers "$stack" ||
    warn "containers of stack $stack still running after 120 s"
  # Swarm keeps stopped task containers as history; each costs a full copy on vfs. Swarm
  # may be removing some itself meanwhile ("removal already in progress"): retry.
  wait_for 60 remove_containers "$stack" ||
    warn "could not remove the containers of $stack: $(stack_containers "$stack" | tr '\n' ' ')"
  local ids
  # Named volumes of a stack are created by the tasks, labelled with the namespace and
  # named <stack>_<volume>; both filters, since not every daemon labels them.
  ids="$( {
    "$DOCKER" volume ls -q --filter "label=com.docker.stack.namespace=$stack"
    "$DOCKER" volume ls -q --filter "name=^${stack}_"
  } 2>/dev/null | sort -u)"
  if [[ -n "$ids" ]]; then
    # A volume can outlive its container by a moment; retry briefly.
    # shellcheck disable=SC2086
    wait_for 20 "$DOCKER" volume rm $ids >/dev/null 2>&1 || warn "could not remove the volumes of $stack: $ids"
  fi
  log "stack $stack removed ($((SECONDS - started)) s)"
}

leave_swarm() {
  [[ -f "$SWARM_RECORD" ]] || return 0
  if [[ "$(swarm_state)" == active ]]; then
    "$DOCKER" swarm leave --force >/dev/null || warn "docker swarm leave failed"
  fi
  # swarm init creates docker_gwbridge; leaving does not remove it.
  if "$DOCKER" network inspect docker_gwbridge >/dev/null 2>&1; then
    wait_for 10 "$DOCKER" network rm docker_gwbridge >/dev/null 2>&1 ||
      warn "could not remove the docker_gwbridge network"
  fi
  rm -f "$SWARM_RECORD"
  log "left the swarm"
}

stop_dockerd() {
  local pid
  pid="$(our_dockerd_pid)"
  if [[ -z "$pid" ]]; then
    rm -f "$DOCKERD_PIDFILE"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null
  if ! wait_for 30 bash -c "! kill -0 $pid 2>/dev/null || [[ \"\$(awk '{print \$3}' /proc/$pid/stat 2>/dev/null)\" == Z ]]"; then
    warn "dockerd (pid $pid) did not stop within 30 s; killing it"
    kill -KILL "$pid" 2>/dev/null
  fi
  rm -f "$DOCKERD_PIDFILE"
  # What a dockerd leaves behind when it stops: the bridges it made and the nsfs mounts
  # of its network namespaces. Only Docker's own names and paths.
  local link mount
  for link in docker_gwbridge docker0; do
    if ip link show "$link" >/dev/null 2>&1; then ip link del "$link" || warn "ip link del $link failed"; fi
  done
  for mount in $(awk '$2 ~ "^/(var/)?run/docker/netns/" { print $2 }' /proc/mounts); do
    umount "$mount" 2>/dev/null || warn "could not unmount $mount"
  done
  if [[ -f "$IP_FORWARD_RECORD" ]]; then
    local before
    before="$(tr -dc '01' <"$IP_FORWARD_RECORD")"
    if [[ -n "$before" && "$(cat /proc/sys/net/ipv4/ip_forward)" != "$before" ]]; then
      echo "$before" >/proc/sys/net/ipv4/ip_forward || warn "could not restore net.ipv4.ip_forward=$before"
    fi
    rm -f "$IP_FORWARD_RECORD"
  fi
  log "dockerd: stopped (pid $pid)"
}

if daemon_up; then
  for stack in "$@"; do remove_stack "$stack"; done
  if [[ "${MESHMON_SWARM_KEEP:-0}" != 1 ]]; then leave_swarm; fi
elif (($# > 0)) || [[ -f "$SWARM_RECORD" ]]; then
  log "no Docker daemon answers: nothing to remove"
  rm -f "$SWARM_RECORD"
fi
if [[ "${MESHMON_SWARM_KEEP:-0}" != 1 ]]; then stop_dockerd; fi
exit "$status"
