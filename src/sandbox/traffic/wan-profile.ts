/**
 * The far-away (WAN) profile of a sandbox: how long each server holds its answers and how fast the
 * store sends bodies, checked once when the sandbox starts. Zero everywhere is loopback as it is.
 */

export interface WanProfileOptions {
  /** Every API answer is held this long before its head is sent; default 0. */
  readonly apiLatencyMs?: number;
  /** Every object-store answer is held this long before its head is sent; default 0. */
  readonly storeLatencyMs?: number;
  /** Each object-store body is paced to at most this many bytes per second; 0 or absent: no cap. */
  readonly storeBytesPerSecond?: number;
}

export interface WanProfile {
  readonly apiLatencyMs: number;
  readonly storeLatencyMs: number;
  /** Undefined when bodies are not capped. */
  readonly storeBytesPerSecond: number | undefined;
}

// setTimeout fires at once (with a warning) past 2^31 - 1 ms; refuse such a delay instead.
const MAX_DELAY_MS = 2 ** 31 - 1;

function checkLatency(name: string, value: number | undefined): number {
  if (value === undefined) return 0;
  if (Number.isFinite(value) && value >= 0 && value <= MAX_DELAY_MS) return value;
  throw new TypeError(
    `Expected \`${name}\` to be a number of milliseconds from 0 to ${MAX_DELAY_MS}, got ${value}.`,
  );
}

/** The checked profile; throws a TypeError naming the option whose value is not usable. */
export function wanProfile(options: WanProfileOptions): WanProfile {
  const rate = options.storeBytesPerSecond;
  if (rate !== undefined && !(Number.isFinite(rate) && rate >= 0)) {
    throw new TypeError(
      `Expected \`storeBytesPerSecond\` to be a number of bytes per second, 0 (no cap) or more, got ${rate}.`,
    );
  }
  return {
    apiLatencyMs: checkLatency("apiLatencyMs", options.apiLatencyMs),
    storeLatencyMs: checkLatency("storeLatencyMs", options.storeLatencyMs),
    storeBytesPerSecond: rate === undefined || rate === 0 ? undefined : rate,
  };
}
