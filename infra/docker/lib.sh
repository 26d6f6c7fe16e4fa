# Shared by infra/docker/*.sh (sourced, not run): logging, the docker clients, and the
# helpers that assemble a root file system from this Debian host's own binaries.
# shellcheck shell=bash

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# Two clients on this kind of machine (see .tmp/issue5-research.md): the static 28.x CLI in
# /usr/local/bin has no buildx, so its `build` falls back to the legacy builder, which
# commits a full copy of the file system per instruction on vfs (42 s against 9 s). Debian's
# 20.10 client reaches the daemon's embedded BuildKit with DOCKER_BUILDKIT=1.
DOCKER="${MESHMON_DOCKER:-docker}"
BUILD_DOCKER="${MESHMON_BUILD_DOCKER:-/usr/bin/docker}"
[[ -x "$BUILD_DOCKER" ]] || BUILD_DOCKER="$DOCKER"

# nats-server lives in /usr/sbin, which a non-root PATH often lacks.
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

log() { echo "docker-images: $*"; }
fail() {
  echo "docker-images: $*" >&2
  exit 2
}

# Seconds since the epoch with milliseconds, for the timings the scripts print.
now_s() { date +%s.%N; }
since_s() { awk -v a="$1" -v b="$(now_s)" 'BEGIN { printf "%.1f", b - a }'; }

# Uncompressed size of an image in MB, as `docker image inspect` counts it.
image_mb() {
  "$DOCKER" image inspect --format '{{.Size}}' "$1" | awk '{ printf "%.0f", $1 / 1000000 }'
}

# The daemon must answer before anything is built.
require_daemon() {
  "$DOCKER" info >/dev/null 2>&1 ||
    fail "no Docker daemon answers; start one (bash infra/swarm/docker-up.sh) and retry"
}

# BuildKit through the 20.10 client; no `# syntax=` line in the Dockerfile, or BuildKit
# would pull its frontend image from Docker Hub.
buildkit_build() {
  DOCKER_BUILDKIT=1 "$BUILD_DOCKER" build --progress=plain "$@"
}

# ---- root file systems from host binaries ---------------------------------------------

# new_rootfs <dir>: an empty usr-merged tree like Debian 12's, with /tmp, passwd and group
# (uid/gid 1000 is the user the images run as).
new_rootfs() {
  local root=$1
  rm -rf "$root"
  mkdir -p "$root"/usr/{bin,sbin,lib/x86_64-linux-gnu,lib64} \
    "$root"/{etc,tmp,var/tmp,root,home/node,proc,sys,dev,run,data}
  ln -s usr/bin "$root/bin"
  ln -s usr/sbin "$root/sbin"
  ln -s usr/lib "$root/lib"
  ln -s usr/lib64 "$root/lib64"
  chmod 1777 "$root/tmp" "$root/var/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnode:x:1000:\n' >"$root/etc/group"
  printf 'hosts: files dns\npasswd: files\ngroup: files\n' >"$root/etc/nsswitch.conf"
  # glibc resolves "localhost" from /etc/hosts; Docker bind-mounts its own over this one
  # in a container, but a build step sees the image's.
  printf '127.0.0.1 localhost\n::1 localhost\n' >"$root/etc/hosts"
  chown 1000:1000 "$root/home/node" "$root/data"
}

# copy_path <root> <path...>: copies each path to the same place under <root>, keeping
# modes, owners and extended attributes (ping's cap_net_raw lives in security.capability;
# a plain cp would drop it and ping would fail for a non-root user). A symlink brings its
# target along.
copy_path() {
  local root=$1 path
  shift
  for path in "$@"; do
    [[ -e "$root$path" || -L "$root$path" ]] && continue
    mkdir -p "$root$(dirname "$path")"
    cp -a --preserve=all "$path" "$root$path"
    if [[ -L "$path" ]]; then copy_path "$root" "$(readlink -f "$path")"; fi
  done
}

# copy_binary <root> <binary...>: each binary and every shared library ldd names for it.
# ldd prints the loader without "=>" (`/lib64/ld-linux-x86-64.so.2 (0x...)`), hence the
# second pattern; mawk has no \s.
copy_binary() {
  local root=$1 binary lib
  shift
  for binary in "$@"; do
    [[ -e "$binary" ]] || fail "$binary is missing on this host; install its Debian package"
    copy_path "$root" "$binary"
    for lib in $(ldd "$binary" 2>/dev/null | awk '/=>/ { print $3; next } $1 ~ /^\// { print $1 }'); do
      copy_path "$root" "$lib"
    done
  done
}

# import_rootfs <root> <tag> <docker import -c change...>: one layer, with xattrs (file
# capabilities) kept. Numeric owners, so the image does not depend on this host's names.
import_rootfs() {
  local root=$1 tag=$2
  shift 2
  local changes=() change
  for change in "$@"; do changes+=(-c "$change"); done
  tar --xattrs --xattrs-include='security.capability' --numeric-owner -C "$root" -c . |
    "$DOCKER" import "${changes[@]}" - "$tag" >/dev/null
}

# A scratch directory removed when the script exits, however it exits.
make_scratch() {
  SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/meshmon-docker.XXXXXX")"
  trap 'rm -rf "$SCRATCH"' EXIT
}
