#!/usr/bin/env bash
# Builds the offline base image meshmon-base:local from this Debian 12 host's own files:
# node, iperf3, ping (with its cap_net_raw file capability), dash and a few coreutils, as
# one `docker import` layer. It stands in for node:20-bookworm-slim where no registry can
# be reached (CI): `--build-arg BASE=meshmon-base:local`. Takes about 2 s.
#
#   bash infra/docker/build-base-image.sh [tag]       (default meshmon-base:local)
#   MESHMON_BASE_WITH_NPM=1 ...                       also copies npm (19 MB), for a
#                                                     source build on this base
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TAG="${1:-meshmon-base:local}"
require_daemon
started="$(now_s)"
make_scratch
root="$SCRATCH/rootfs"

new_rootfs "$root"
copy_binary "$root" /usr/bin/node /usr/bin/iperf3 /usr/bin/ping /usr/bin/dash \
  /usr/bin/env /usr/bin/id /usr/bin/cat /usr/bin/ls /usr/bin/mkdir /usr/bin/rm /usr/bin/cp \
  /usr/bin/ln /usr/bin/chown /usr/bin/find
ln -s dash "$root/usr/bin/sh"
# glibc loads these at run time (getaddrinfo, getpwnam), so ldd of node does not name them.
copy_binary "$root" /usr/lib/x86_64-linux-gnu/libnss_files.so.2 \
  /usr/lib/x86_64-linux-gnu/libnss_dns.so.2
copy_path "$root" /etc/ssl/certs/ca-certificates.crt
if [[ "${MESHMON_BASE_WITH_NPM:-0}" == 1 ]]; then
  copy_path "$root" /usr/lib/node_modules/npm
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/bin/npx"
fi

# Without the capability a non-root ping fails, and only at the first measurement.
[[ "$(getcap "$root/usr/bin/ping" 2>/dev/null)" == *cap_net_raw* ]] ||
  fail "ping lost its file capability while copying (is /usr/bin/ping cap_net_raw=ep on this host?)"

import_rootfs "$root" "$TAG" \
  'ENV PATH=/usr/local/bin:/usr/bin:/bin' 'ENV NODE_ENV=production' \
  'USER 1000:1000' 'WORKDIR /home/node'

# The image must run what the services need, as the user they run as.
check="$("$DOCKER" run --rm --network none "$TAG" sh -c 'id -u; node --version; iperf3 --version' 2>&1 || true)"
[[ "$check" == 1000*v20.*iperf* ]] || fail "$TAG does not run node and iperf3 as uid 1000: $check"
log "$TAG: $(image_mb "$TAG") MB, built in $(since_s "$started") s ($(node --version), $(iperf3 --version | awk 'NR==1 { print $1, $2 }'))"
