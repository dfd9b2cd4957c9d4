/**
 * The man page's sections that `--help` has no source for: description, files, environment,
 * examples beyond the commands' own, and the systemd units the RPM installs. Plain text; the
 * page (man-page.ts) escapes it.
 */

export const DESCRIPTION = [
  "dci-mirror mirrors the latest components of a Red Hat Distributed CI (DCI) topic into DEST/<topic>/<component type>/, the layout dci-downloader uses. Downloads are concurrent and resumable; every file is checked against its sha256 before it appears under its real name; the API is reached with signed requests.",
  "Without a command, dci-mirror runs sync. Without TOPIC, sync mirrors the topics of the --settings files. A second run of the same topic waits for the first (see --lock-timeout), so runs from cron or a systemd timer may overlap safely.",
  "Credentials come from settings files, then the environment, then the --rc file, then --dci-cs-url (later wins); --sandbox uses the built-in sandbox DCI server instead and needs none.",
] as const;

/** [path, what it is]. */
export const FILES: ReadonlyArray<readonly [string, string]> = [
  [
    "/etc/dci-mirror/NAME.yml",
    "The settings file of the systemd instance dci-mirror@NAME (dci-downloader's YAML settings: download_folder, topics and their filters). settings.example.yml beside it shows every key.",
  ],
  [
    "/etc/dci-mirror/dcirc.sh",
    "The remoteci's credentials (DCI_CLIENT_ID, DCI_API_SECRET, DCI_CS_URL) as the DCI web UI gives them, mode 0600, owned by root. The service reads it through systemd's LoadCredential=; dci-mirror reads it as data and never executes it.",
  ],
  [
    "/usr/lib/systemd/system/dci-mirror@.service, dci-mirror@.timer",
    "The templated service and its nightly timer: dci-mirror@NAME runs dci-mirror sync --settings /etc/dci-mirror/NAME.yml as user dci-mirror.",
  ],
  [
    "/var/lib/dci-mirror",
    "The service user's home and the one destination the service may write to by default; add others with a drop-in (ReadWritePaths=).",
  ],
  [
    "DEST/<topic>/.dci-mirror.lock",
    "Present only while a run holds the topic: its pid, host and start time.",
  ],
  [
    "DEST/<topic>/<type>/.dci-mirror/",
    "dci-mirror's bookkeeping: state.json (the record of verified files), selection.json, and partial/ (partial downloads, named by their expected sha256). Web servers and rsync can skip everything named .dci-mirror*.",
  ],
];

/** [variable, meaning]. */
export const ENVIRONMENT: ReadonlyArray<readonly [string, string]> = [
  ["DCI_CLIENT_ID", "The remoteci (remoteci/<uuid>; a bare uuid means a remoteci)."],
  ["DCI_API_SECRET", "Its API secret. It never appears in output, logs or error messages."],
  ["DCI_CS_URL", "The DCI API URL; --dci-cs-url wins."],
  ["DCI_LOCAL_REPO", "The destination when neither DEST nor --local-repo is given."],
  ["DCI_REGISTRY", "As --registry."],
  ["DCI_REPO_URL", "As --dci-repo-url (accepted, unused)."],
  [
    "HTTPS_PROXY, HTTP_PROXY, NO_PROXY",
    "Proxies, honoured with their lower-case forms, which win.",
  ],
  [
    "NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE, SSL_CERT_FILE",
    "CA files (PEM) trusted besides the system store, like --ca-file; they never replace it.",
  ],
  [
    "NODE_OPTIONS",
    "Node.js options; a heap size given there (--max-semi-space-size) wins over dci-mirror's own.",
  ],
];

/** [command lines, what they do]; the commands' own examples come from their definitions. */
export const EXAMPLES: ReadonlyArray<readonly [string, string]> = [
  [
    "dci-mirror RHEL-9.4 ./mirror --sandbox",
    "Try it on the built-in sandbox, without credentials.",
  ],
  [
    "dci-mirror identity --rc ~/dcirc.sh\ndci-mirror RHEL-9.4 /var/www/html/dci --rc ~/dcirc.sh",
    "Check a remoteci's credentials and the clock, then mirror the latest RHEL-9.4 compose.",
  ],
  [
    "cp /etc/dci-mirror/settings.example.yml /etc/dci-mirror/rhel9.yml\nsystemctl enable --now dci-mirror@rhel9.timer\njournalctl -u dci-mirror@rhel9.service",
    "With the RPM: mirror the topics of /etc/dci-mirror/rhel9.yml every night, and read the last runs.",
  ],
  [
    "systemctl edit dci-mirror@rhel9.service",
    "Add a destination outside /var/lib/dci-mirror: write [Service] and ReadWritePaths=/var/www/html/dci in the drop-in, and make that folder writable by user dci-mirror.",
  ],
];

export const SEE_ALSO = "systemd.timer(5), systemd.exec(5), skopeo(1)";
