#!/bin/sh
# Builds the noarch RPM from the offline npm tarball (sh scripts/pack-offline.sh) with
# rpmbuild, into DIR/rpm/ (default out/). Usage: sh scripts/build-rpm.sh TARBALL [DIR];
# `npm run rpm` builds, packs and runs this. Prints the RPM's path.
set -eu
cd "$(dirname "$0")/.."
tarball="$1"
dest="${2:-out}"
version="$(node -p 'require("./package.json").version')"
top="$(mkdir -p "$dest/rpm" && cd "$dest/rpm" && pwd)"
rm -rf "$top/SOURCES" "$top/BUILD" "$top/BUILDROOT" "$top/RPMS"
mkdir -p "$top/SOURCES"
cp "$tarball" "$top/SOURCES/dci-mirror-$version.tgz"
cp packaging/systemd/dci-mirror@.service packaging/systemd/dci-mirror@.timer \
  packaging/dci-mirror.sysusers packaging/settings.example.yml "$top/SOURCES/"
# --nodeps: where rpmbuild runs on Debian, its database knows none of the build requirements
# (nodejs comes from dpkg). gzip level 6 keeps the build to a few seconds.
rpmbuild -bb --quiet --nodeps \
  --define "_topdir $top" \
  --define "pkg_version $version" \
  --define "_binary_payload w6.gzdio" \
  packaging/rpm/dci-mirror.spec >&2
ls "$top"/RPMS/noarch/dci-mirror-"$version"-*.noarch.rpm
