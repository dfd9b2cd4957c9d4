#!/bin/sh
# The offline npm tarball: `npm pack` of the built package with every production dependency
# bundled (package.json "bundleDependencies": true), so that
#   npm install -g --offline ./dci-mirror-X.tgz
# needs no registry. Usage: sh scripts/pack-offline.sh [DIR] (default out/); run
# `npm run build` first (npm run pack:offline does both). Prints the tarball's path.
set -eu
cd "$(dirname "$0")/.."
dest="${1:-out}"
[ -f dist/dci-mirror.1 ] || { echo "pack-offline: no dist/ build: run npm run build first" >&2; exit 1; }
mkdir -p "$dest"
# --offline: packing reads only this folder and its node_modules, never the registry.
name="$(npm pack --offline --silent --pack-destination "$dest")"
echo "$dest/$name"
