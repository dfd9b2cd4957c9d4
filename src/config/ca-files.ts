/**
 * Which CA files a command trusts besides Node's built-in list, from every place a lab already
 * names one: `--ca-file`, a settings file's `ca_file`, and the variables of Node
 * (NODE_EXTRA_CA_CERTS) and of Python's requests and OpenSSL (REQUESTS_CA_BUNDLE, SSL_CERT_FILE),
 * which dci-downloader users already set. All of them are added, none replaces another. Pure: the
 * files are read by config/read-ca-files.ts.
 */
import type { CaFileSource } from "../http/trust.js";
import { present, unique } from "./values.js";

/** The environment variables that name a CA file, in the order they are listed in messages. */
export const CA_FILE_VARIABLES = ["NODE_EXTRA_CA_CERTS", "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"];

export interface CaFileInput {
  /** `--ca-file FILE`. */
  readonly caFile?: string | undefined;
  /** A settings file's `ca_file`, with the path of the (last) settings file that sets it. */
  readonly settings?: { readonly caFile: string; readonly file: string } | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The CA files named, command line first, each path once (a blank value names none). */
export function caFileSources(input: CaFileInput): readonly CaFileSource[] {
  const named: (CaFileSource | undefined)[] = [
    fileFrom(input.caFile, "--ca-file"),
    fileFrom(input.settings?.caFile, `ca_file in ${input.settings?.file ?? "a settings file"}`),
    ...CA_FILE_VARIABLES.map((name) => fileFrom(input.env[name], name)),
  ];
  const given = named.filter((file): file is CaFileSource => file !== undefined);
  return Object.freeze(unique(given, (file) => file.path).map((file) => Object.freeze(file)));
}

function fileFrom(path: string | undefined, source: string): CaFileSource | undefined {
  const value = present(path)?.trim();
  return value === undefined ? undefined : { path: value, source };
}
