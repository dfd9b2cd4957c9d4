/**
 * The sandbox's far-away (WAN) flags: --api-latency, --store-latency, --store-rate and
 * --url-lifetime, checked as the command line parses (a usage error before anything starts).
 */
import type { Argv } from "yargs";
import { positiveInteger } from "../../config/checks.js";
import { UsageError } from "../../errors.js";
import { parseByteRate } from "../../units.js";

// setTimeout fires at once (with a warning) past 2^31 - 1 ms, so a longer latency is refused.
const MAX_LATENCY_MS = 2 ** 31 - 1;

/** `value` when absent or a number of milliseconds, 0 or more; else UsageError USAGE. */
function latencyMs(flag: string, value: number | undefined): number | undefined {
  if (value === undefined || (Number.isFinite(value) && value >= 0 && value <= MAX_LATENCY_MS))
    return value;
  const given = Number.isNaN(value) ? "a number" : String(value);
  throw new UsageError(`--${flag} must be a number of milliseconds, 0 or more, not ${given}.`, {
    code: "USAGE",
    hint: `For example --${flag} 150.`,
  });
}

/**
 * `--store-rate`: bytes per second with an optional suffix, k/M/G (1,000, 1,000,000,
 * 1,000,000,000) or Ki/Mi/Gi (1,024, ...), rounded to whole bytes; `10M` is 10,000,000 bytes/s.
 * Undefined when absent; throws UsageError USAGE otherwise.
 */
export function byteRate(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const bytesPerSecond = parseByteRate(text);
  if (bytesPerSecond !== undefined) return bytesPerSecond;
  throw new UsageError(
    `--store-rate must be bytes per second, with an optional k, M or G (SI) or Ki, Mi or Gi suffix, not ${JSON.stringify(text)}.`,
    { code: "USAGE", hint: "For example --store-rate 10M (10,000,000 bytes/s); 0 for no cap." },
  );
}

/** Declares the far-away flags on the sandbox command's builder. */
export function wanProfileOptions<T>(command: Argv<T>) {
  return command
    .option("api-latency", {
      type: "number",
      describe: "hold each API answer MS milliseconds, as a far-away server would (default 0)",
      coerce: (value: number | undefined) => latencyMs("api-latency", value),
    })
    .option("store-latency", {
      type: "number",
      describe: "hold each object-store answer MS milliseconds (default 0)",
      coerce: (value: number | undefined) => latencyMs("store-latency", value),
    })
    .option("store-rate", {
      type: "string",
      describe:
        "cap each object-store body at RATE bytes/s; k/M/G are SI (10M = 10,000,000), Ki/Mi/Gi binary (default: no cap)",
      coerce: (value: string | undefined) => byteRate(value),
    })
    .option("url-lifetime", {
      type: "number",
      default: 600,
      describe: "presigned file URLs expire after SECONDS",
      coerce: (value: number) => positiveInteger("url-lifetime", value),
    })
    .group(
      ["api-latency", "store-latency", "store-rate", "url-lifetime"],
      "Far-away (WAN) profile:",
    );
}

/** One line for the banner when a far-away setting is on; undefined on plain loopback. */
export function wanProfileText(profile: {
  readonly apiLatencyMs?: number | undefined;
  readonly storeLatencyMs?: number | undefined;
  readonly storeBytesPerSecond?: number | undefined;
}): string | undefined {
  const parts = [
    profile.apiLatencyMs ? `API answers held ${profile.apiLatencyMs} ms` : "",
    profile.storeLatencyMs ? `store answers held ${profile.storeLatencyMs} ms` : "",
    profile.storeBytesPerSecond
      ? `store bodies at most ${profile.storeBytesPerSecond.toLocaleString("en-US")} bytes/s`
      : "",
  ].filter((part) => part !== "");
  return parts.length === 0 ? undefined : `Far-away (WAN) profile: ${parts.join(", ")}.`;
}
