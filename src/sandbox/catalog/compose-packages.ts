/**
 * Package names for generated composes: a fixed list of real-looking RHEL packages, stretched to
 * any count with numbered sub-packages, so file names look like a compose's without shipping one.
 */

export interface PackageSpec {
  readonly name: string;
  readonly version: string;
  readonly release: string;
  readonly variant: "AppStream" | "BaseOS" | "CRB";
}

type Row = readonly [
  name: string,
  version: string,
  release: string,
  variant: PackageSpec["variant"],
];

// `%DIST%` becomes el9 / el8 so one list serves both majors.
const BASE_PACKAGES: readonly Row[] = [
  ["kernel", "5.14.0", "427.13.1.%DIST%_4", "BaseOS"],
  ["glibc", "2.34", "100.%DIST%", "BaseOS"],
  ["bash", "5.1.8", "9.%DIST%", "BaseOS"],
  ["systemd", "252", "32.%DIST%_4", "BaseOS"],
  ["openssl-libs", "3.0.7", "27.%DIST%", "BaseOS"],
  ["python3", "3.9.18", "3.%DIST%", "BaseOS"],
  ["coreutils", "8.32", "35.%DIST%", "BaseOS"],
  ["util-linux", "2.37.4", "18.%DIST%", "BaseOS"],
  ["dnf", "4.14.0", "9.%DIST%", "BaseOS"],
  ["rpm", "4.16.1.3", "29.%DIST%", "BaseOS"],
  ["NetworkManager", "1.46.0", "4.%DIST%_4", "BaseOS"],
  ["openssh-server", "8.7p1", "38.%DIST%", "BaseOS"],
  ["sudo", "1.9.5p2", "10.%DIST%_3", "BaseOS"],
  ["curl", "7.76.1", "29.%DIST%_4", "BaseOS"],
  ["zlib", "1.2.11", "40.%DIST%", "BaseOS"],
  ["xz", "5.2.5", "8.%DIST%_0", "BaseOS"],
  ["tar", "1.34", "6.%DIST%_1", "BaseOS"],
  ["gcc-c++", "11.4.1", "3.%DIST%", "AppStream"],
  ["passt", "0^20240624.g1ee2eca", "1.%DIST%", "AppStream"],
  ["podman", "4.9.4", "1.%DIST%", "AppStream"],
  ["nginx", "1.20.1", "14.%DIST%_2.1", "AppStream"],
  ["httpd", "2.4.57", "8.%DIST%", "AppStream"],
  ["postgresql", "13.14", "1.%DIST%_3", "AppStream"],
  ["mariadb", "10.5.22", "1.%DIST%_2", "AppStream"],
  ["nodejs", "16.20.2", "4.%DIST%_4", "AppStream"],
  ["golang", "1.21.7", "2.%DIST%", "AppStream"],
  ["rust", "1.75.0", "1.%DIST%", "AppStream"],
  ["perl", "5.32.1", "481.%DIST%", "AppStream"],
  ["git", "2.43.0", "1.%DIST%", "AppStream"],
  ["vim-enhanced", "8.2.2637", "20.%DIST%_1", "AppStream"],
  ["tmux", "3.2a", "5.%DIST%", "AppStream"],
  ["qemu-kvm", "8.2.0", "11.%DIST%_4", "AppStream"],
  ["libvirt", "10.0.0", "6.%DIST%_4", "AppStream"],
  ["ansible-core", "2.14.14", "1.%DIST%", "AppStream"],
  ["cmake", "3.26.5", "2.%DIST%", "AppStream"],
  ["python3-devel", "3.9.18", "3.%DIST%", "AppStream"],
  ["ninja-build", "1.10.2", "6.%DIST%", "CRB"],
  ["meson", "0.63.3", "1.%DIST%", "CRB"],
  ["doxygen", "1.9.1", "11.%DIST%", "CRB"],
  ["glibc-static", "2.34", "100.%DIST%", "CRB"],
  ["libstdc++-static", "11.4.1", "3.%DIST%", "CRB"],
  ["python3-sphinx", "3.4.3", "7.%DIST%", "CRB"],
  ["ocaml", "4.11.1", "5.%DIST%", "CRB"],
];

/** The `index`-th package: the base list first, then `<base>-sub<round>` variants of it. */
export function packageAt(index: number, distTag: string): PackageSpec {
  const row = BASE_PACKAGES[index % BASE_PACKAGES.length] ?? BASE_PACKAGES[0];
  if (!row) throw new Error("the package list is empty");
  const round = Math.floor(index / BASE_PACKAGES.length);
  const [name, version, release, variant] = row;
  return {
    name: round === 0 ? name : `${name}-sub${round}`,
    version,
    release: release.replace("%DIST%", distTag),
    variant,
  };
}

/** `name-version-release.arch.rpm` (arch `src` for a source package). */
export function rpmFileName(spec: PackageSpec, arch: string, suffix = ""): string {
  return `${spec.name}${suffix}-${spec.version}-${spec.release}.${arch}.rpm`;
}
