#!/usr/bin/env bash
# Builds offline images for the stack's NATS, Redis and InfluxDB from this Debian host's
# own binaries (the packages infra/local/install.sh installs), one `docker import` layer
# each, so that the swarm stack runs where no registry can be reached (CI):
#   meshmon-nats:local      nats-server                 (stands in for nats:2.10-alpine)
#   meshmon-redis:local     redis-server, redis-cli     (redis:7.0-alpine)
#   meshmon-influxdb:local  influxd, influx             (influxdb:1.8-alpine)
# Each also has sh, wget and sleep, as the alpine images have (busybox), for health checks
# and entrypoint scripts. The stack gives every infra service an explicit command, so these
# run exactly as the public images do; they run as uid 1000 and own their data directories.
#   bash infra/docker/build-infra-images.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_daemon
make_scratch

# build_infra <tag> <data dir> <default command as JSON> <binaries...>
build_infra() {
  local tag=$1 data=$2 cmd=$3 started root
  shift 3
  started="$(now_s)"
  root="$SCRATCH/${tag%%:*}"
  new_rootfs "$root"
  copy_binary "$root" /usr/bin/dash /usr/bin/wget /usr/bin/sleep "$@"
  ln -s dash "$root/usr/bin/sh"
  copy_binary "$root" /usr/lib/x86_64-linux-gnu/libnss_files.so.2 \
    /usr/lib/x86_64-linux-gnu/libnss_dns.so.2
  mkdir -p "$root$data"
  chown 1000:1000 "$root$data"
  import_rootfs "$root" "$tag" 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/bin:/usr/sbin:/bin' \
    'USER 1000:1000' "WORKDIR $data" "CMD $cmd"
  log "$tag: $(image_mb "$tag") MB, built in $(since_s "$started") s"
}

# Which host binaries went in, for the log: versions differ from the public images'.
log "host versions: $(nats-server --version), $(redis-server --version | awk '{ print $3 }')," \
  "$(influxd version | awk '{ print $1, $2 }')"

build_infra meshmon-nats:local /data '["nats-server", "-js", "-sd", "/data"]' \
  /usr/sbin/nats-server
build_infra meshmon-redis:local /data '["redis-server", "--appendonly", "yes", "--dir", "/data"]' \
  /usr/bin/redis-server /usr/bin/redis-cli
build_infra meshmon-influxdb:local /var/lib/influxdb '["influxd"]' \
  /usr/bin/influxd /usr/bin/influx

# Each must start its server as the user it runs as.
"$DOCKER" run --rm --network none meshmon-nats:local nats-server --version >/dev/null ||
  fail "meshmon-nats:local cannot run nats-server"
"$DOCKER" run --rm --network none meshmon-redis:local redis-cli --version >/dev/null ||
  fail "meshmon-redis:local cannot run redis-cli"
"$DOCKER" run --rm --network none meshmon-influxdb:local influxd version >/dev/null ||
  fail "meshmon-influxdb:local cannot run influxd"
