#!/bin/sh
# Installs what the test suite runs for real (Debian packages; a no-op when all are present):
# - skopeo and a local container registry (docker-registry), for test/e2e/registry.test.ts;
# - rpmbuild and rpm2cpio (rpm), cpio, systemd-analyze (systemd), groff and man (groff-base,
#   man-db), for test/packaging/: the RPM is built, unpacked and its units verified, and the
#   man page rendered.
set -eu
missing=""
need() { command -v "$1" >/dev/null 2>&1 || missing="$missing $2"; }
need skopeo skopeo
need docker-registry docker-registry
need rpmbuild rpm
need rpm2cpio rpm2cpio
need cpio cpio
need systemd-analyze systemd
need groff groff-base
need man man-db
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "The tests need:$missing. Install them (Debian/Ubuntu: sudo apt-get install$missing) and run again." >&2
  exit 1
fi
echo "Installing test tools:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
