#!/usr/bin/env bash
# Installs the Debian packages the local infrastructure and the lab need.
# Idempotent and quiet when everything is there: apt is only touched when a package is missing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

packages=(
  nats-server redis-server influxdb influxdb-client # the three services
  iperf3 iputils-ping                               # probes
  iproute2 conntrack stress-ng                      # lab: namespaces, links, load
  procps psmisc curl                                # ps/pkill, fuser, HTTP health checks
  chromium                                          # headless browser for the dashboard test
  prometheus                                        # promtool for the alert rules' tests; the scrape test
)

missing=()
for pkg in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

if ! command -v apt-get >/dev/null; then
  fail "missing packages: ${missing[*]}, and there is no apt-get here; install them by hand."
fi
if ((EUID != 0)); then
  fail "missing packages: ${missing[*]}. Run as root: apt-get install -y ${missing[*]}"
fi

log "installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive

# Without systemd, invoke-rc.d runs the packages' init scripts, which would start a
# system redis on 6379 and influxd on 8086/8088 with their own data dirs, and the ports
# we want would then be taken. A policy-rc.d that answers 101 ("action forbidden") stops
# that. Put one only for the duration of the install and never replace an existing one.
policy=/usr/sbin/policy-rc.d
if [[ ! -e "$policy" ]]; then
  printf '#!/bin/sh\n# temporary, from meshmon infra/local/install.sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  trap 'rm -f "$policy"' EXIT
fi
# iperf3's package asks whether to run a system iperf3 daemon; we start our own servers.
echo 'iperf3 iperf3/start_daemon boolean false' | debconf-set-selections

apt-get update -qq || fail "apt-get update failed (see above); check the network or the apt sources"
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
  fail "apt-get install ${missing[*]} failed (see above)"

still_missing=()
for pkg in "${missing[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  [[ "$status" == "install ok installed" ]] || still_missing+=("$pkg")
done
((${#still_missing[@]} == 0)) || fail "apt-get did not install: ${still_missing[*]}"
log "installed ${missing[*]}"
