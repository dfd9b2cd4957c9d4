/**
 * The flags every command takes: where the credentials come from (--rc, --dci-cs-url, --sandbox)
 * and how the output looks (--json, --quiet, --verbose). Declared once, on the root parser.
 */
import type { Argv } from "yargs";
import { UsageError } from "../../errors.js";

export function globalOptions(parser: Argv) {
  return parser
    .option("rc", {
      type: "string",
      describe: "read DCI_* credentials from this dcirc.sh (never executed)",
    })
    .option("dci-cs-url", { type: "string", describe: "DCI API URL (overrides DCI_CS_URL)" })
    .option("ca-file", {
      type: "string",
      describe:
        "trust the CA certificates (PEM) in FILE besides the system store (also NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE)",
    })
    .option("sandbox", {
      type: "boolean",
      default: false,
      describe: "use the built-in sandbox DCI server (no credentials needed)",
    })
    .option("json", {
      type: "boolean",
      default: false,
      describe: "print one JSON document on stdout; errors as JSON on stderr",
    })
    .option("quiet", {
      alias: "q",
      type: "boolean",
      default: false,
      describe:
        "print nothing on success; on failure only the errors and the final line (--json: the document still goes to stdout)",
    })
    .option("verbose", {
      alias: "v",
      type: "boolean",
      default: false,
      describe: "print retries and error causes",
    })
    .check(refuseQuietAndVerbose, true);
}

function refuseQuietAndVerbose(flags: { quiet: boolean; verbose: boolean }): true {
  if (flags.quiet && flags.verbose) {
    throw new UsageError("--quiet and --verbose cannot be used together.", {
      code: "USAGE",
      hint: "Keep one: --quiet prints nothing on success, --verbose adds retries and error causes.",
    });
  }
  return true;
}

/** The root parser with the global flags: what every command's builder starts from. */
export type GlobalArgv = ReturnType<typeof globalOptions>;

/** The global flags as parsed. */
export type GlobalFlags = GlobalArgv extends Argv<infer T> ? T : never;
