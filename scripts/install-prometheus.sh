#!/usr/bin/env bash
# Makes `prometheus` and `promtool` available for the observability tests (PrometheusIT,
# PrometheusRulesIT) and for checking grafana/alerts.yml by hand.
#
# Idempotent: when both binaries are already on PATH it only prints their versions. Otherwise it
# installs Debian's `prometheus` package with apt-get (as root, or through `sudo -n`). The package
# ships a service; the tests start their own Prometheus on a free port, so the install must leave
# nothing running: a policy-rc.d that denies every start is in place while dpkg configures the
# package, and a service that started anyway (systemd hosts) is stopped and disabled afterwards.
# Works in containers without systemd.
#
# Exit status: 0 when both binaries work, non-zero with a message saying why not.
set -euo pipefail

readonly PACKAGE=prometheus
readonly POLICY=/usr/sbin/policy-rc.d

fail() {
  echo "install-prometheus: $*" >&2
  exit 1
}

report_versions() {
  prometheus --version 2>&1 | head -n 1
  promtool --version 2>&1 | head -n 1
}

if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; then
  report_versions
  exit 0
fi

if [[ "$(id -u)" -eq 0 ]]; then
  as_root() { "$@"; }
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root() { sudo -n "$@"; }
else
  fail "prometheus/promtool are not on PATH and installing them needs root: run this script as" \
    "root, allow passwordless sudo, or install Debian's '$PACKAGE' package yourself"
fi

command -v apt-get >/dev/null 2>&1 \
  || fail "prometheus/promtool are not on PATH and apt-get is missing; install Prometheus" \
    "(https://prometheus.io/download/) so that both binaries are on PATH"

# Deny service starts while the package is configured, unless a policy is already installed (as
# in most container images, where it already denies them). Only a policy we wrote is removed.
own_policy=false
cleanup() {
  if [[ "$own_policy" == true ]]; then
    as_root rm -f "$POLICY"
  fi
}
trap cleanup EXIT
if [[ ! -e "$POLICY" ]]; then
  printf '#!/bin/sh\n# Written by seqcast scripts/install-prometheus.sh while it installs.\nexit 101\n' \
    | as_root tee "$POLICY" >/dev/null
  as_root chmod 755 "$POLICY"
  own_policy=true
fi

echo "install-prometheus: installing Debian package '$PACKAGE'"
as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q \
  || fail "apt-get update failed (no network or broken sources?)"
as_root env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -q --no-install-recommends "$PACKAGE" \
  || fail "apt-get install $PACKAGE failed; see the apt output above"

# systemd may start units without asking policy-rc.d (e.g. a later daemon-reload); stop the
# packaged service so it does not hold port 9090, and keep it from starting at boot.
if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null 2>&1; then
  as_root systemctl disable --now "$PACKAGE.service" >/dev/null 2>&1 || true
elif command -v service >/dev/null 2>&1 && [[ -x /etc/init.d/$PACKAGE ]]; then
  as_root service "$PACKAGE" stop >/dev/null 2>&1 || true
fi

command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 \
  || fail "package '$PACKAGE' installed but prometheus/promtool are still not on PATH" \
    "(PATH=$PATH)"
report_versions
