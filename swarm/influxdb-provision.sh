#!/bin/sh
# InfluxDB 1.x for Meshmon with authentication on, provisioned from the deployment's
# secrets: an admin (meshmon_admin), the suite's database with its default retention
# policy, a writer (the result sink) that may only write that database and a reader (the
# gateway) that may only read it. The container's entrypoint: starts influxd, provisions
# it once it answers (every start, so a changed writer or reader password takes effect),
# then waits on it; a stop signal goes on to influxd. Passwords reach influx on stdin and
# in its environment, never on a command line. swarm/ and k8s/base/ hold the same file
# (test/deploy checks it). Needs sh, wget, sleep, influxd and influx: the public
# influxdb:1.8-alpine image and infra/docker's meshmon-influxdb:local have them.
set -eu

# Where the secrets are mounted (Swarm's and Kubernetes's usual place).
secrets="${MESHMON_SECRETS_DIR:-/run/secrets}"
database="${MESHMON_INFLUX_DATABASE:-meshmon}"
policy="${MESHMON_INFLUX_RETENTION_POLICY:-meshmon_30d}"
duration="${MESHMON_INFLUX_RETENTION:-30d}"
bind="${INFLUXDB_HTTP_BIND_ADDRESS:-:8086}"
port="${bind##*:}"

say() { echo "influxdb-provision: $*" >&2; }
server=''
fail() {
  say "$*"
  if [ -n "$server" ]; then
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" || true
  fi
  exit 1
}

# A secret's first line. A quote or a backslash would end InfluxQL's string early, so
# such a password is refused rather than escaped.
password() {
  [ -r "$secrets/$1" ] || fail "$secrets/$1: missing or unreadable (the deployment's secret $1)"
  IFS= read -r value <"$secrets/$1" || [ -n "$value" ] || fail "$secrets/$1: empty"
  case "$value" in
    '') fail "$secrets/$1: empty" ;;
    *\'* | *\\*) fail "$secrets/$1: a password must not contain ' or \\" ;;
  esac
  printf '%s' "$value"
}

# One InfluxQL statement, read by influx from stdin; its exit status says if it was refused.
influxql() { printf '%s\n' "$1" | influx -host 127.0.0.1 -port "$port" 2>&1; }
# A statement that must succeed; `what` names it (never the statement: it may hold a password).
must() {
  answer="$(influxql "$2")" || fail "$1 was refused: $answer"
}

admin_password="$(password meshmon-influx-admin-password)"
writer_password="$(password meshmon-influx-writer-password)"
reader_password="$(password meshmon-influx-reader-password)"

export INFLUXDB_HTTP_AUTH_ENABLED=true
# influxd's request log holds every query's URL, and influx sends a statement in the URL:
# CREATE USER and SET PASSWORD would put the passwords in the container's log.
export INFLUXDB_HTTP_LOG_ENABLED=false
influxd &
server=$!
stopping=no
trap 'stopping=yes; kill -TERM "$server" 2>/dev/null || true' TERM INT

tries=0
until wget -q -O /dev/null "http://127.0.0.1:$port/ping"; do
  kill -0 "$server" 2>/dev/null || {
    status=0
    wait "$server" || status=$?
    say "influxd exited ($status) before it answered"
    exit "$status"
  }
  tries=$((tries + 1))
  [ "$tries" -le 240 ] || fail "influxd did not answer on 127.0.0.1:$port within 120 s"
  sleep 0.5
done

# The first admin: InfluxDB takes this without a login only while it has no user at all.
# Later starts find the admin there and this is refused, which is what we want.
influxql "CREATE USER meshmon_admin WITH PASSWORD '$admin_password' WITH ALL PRIVILEGES" \
  >/dev/null || true
export INFLUX_USERNAME=meshmon_admin INFLUX_PASSWORD="$admin_password"
must "meshmon_admin's login (a data volume made with another admin password?)" 'SHOW USERS'

must "CREATE DATABASE $database" "CREATE DATABASE \"$database\""
# CREATE fails when the policy exists with other settings; ALTER then makes them these.
influxql "CREATE RETENTION POLICY \"$policy\" ON \"$database\" DURATION $duration REPLICATION 1 DEFAULT" \
  >/dev/null ||
  must "ALTER RETENTION POLICY $policy" \
    "ALTER RETENTION POLICY \"$policy\" ON \"$database\" DURATION $duration REPLICATION 1 DEFAULT"

# user <name> <password> <privilege>: made if missing, its password and its one privilege set.
user() {
  influxql "CREATE USER $1 WITH PASSWORD '$2'" >/dev/null || true
  must "SET PASSWORD FOR $1" "SET PASSWORD FOR $1 = '$2'"
  must "REVOKE ALL PRIVILEGES FROM $1" "REVOKE ALL PRIVILEGES FROM $1"
  must "GRANT $3 ON $database TO $1" "GRANT $3 ON \"$database\" TO $1"
}
user meshmon_writer "$writer_password" WRITE
user meshmon_reader "$reader_password" READ
say "ready: database $database (policy $policy, $duration), users meshmon_admin, meshmon_writer (WRITE), meshmon_reader (READ)"

status=0
wait "$server" || status=$?
# A signal interrupts that wait; this one waits for influxd to finish stopping.
if [ "$stopping" = yes ]; then
  status=0
  wait "$server" || status=$?
fi
exit "$status"
