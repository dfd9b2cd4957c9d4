#!/bin/sh
# Installs what the test suite runs for real: skopeo and a local container registry
# (docker-registry), used by test/e2e/registry.test.ts. Debian packages; a no-op when present.
set -eu
missing=""
command -v skopeo >/dev/null 2>&1 || missing="$missing skopeo"
command -v docker-registry >/dev/null 2>&1 || missing="$missing docker-registry"
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
