/** Sizes for people, in binary units (1 KiB = 1,024 bytes), the way `df -h` counts. */

const UNITS = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"] as const;

/** `512 B`, `1.5 KiB`, `12.3 GiB`: whole bytes below 1 KiB, one decimal above; never throws. */
export function formatBytes(sizeBytes: number): string {
  if (!Number.isFinite(sizeBytes) || Math.abs(sizeBytes) < 1024) return `${sizeBytes} B`;
  let value = Math.abs(sizeBytes) / 1024;
  let unitIndex = 0;
  // Move up while the value would print as 1024.0 or more: "1024.0 KiB" should read "1.0 MiB".
  while (value >= 1023.95 && unitIndex < UNITS.length - 1) {
    value /= 1024;
    unitIndex++;
  }
  return `${sizeBytes < 0 ? "-" : ""}${value.toFixed(1)} ${UNITS[unitIndex] ?? "EiB"}`;
}

/**
 * `12.3 MiB/s`, `75 B/s`, `0.5 B/s`: bytes moved in `durationMs`, per second (`durationMs` must be
 * positive). Below 1 KiB/s the rate is a fraction of bytes, so it is rounded here: one decimal under
 * 10 B/s (a slow drip still reads as moving), whole bytes up to 1 KiB/s.
 */
export function formatRate(bytes: number, durationMs: number): string {
  const bytesPerSecond = (bytes / durationMs) * 1000;
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond === 0)
    return `${formatBytes(bytesPerSecond)}/s`;
  const oneDecimal = Math.round(bytesPerSecond * 10) / 10;
  if (Math.abs(oneDecimal) < 10) return `${oneDecimal.toFixed(1)} B/s`;
  return `${formatBytes(Math.round(bytesPerSecond))}/s`;
}

/** `4.2 s`: a duration in seconds, one decimal. */
export function formatSeconds(durationMs: number): string {
  return `${(durationMs / 1000).toFixed(1)} s`;
}

/** Rate suffixes, SI (powers of 1,000) as network rates are counted, or binary with an `i`. */
const RATE_FACTORS: Readonly<Record<string, number>> = {
  "": 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
};

/**
 * Bytes per second from `10M`, `500k`, `1.5G`, `10Mi` or plain digits: k/M/G are SI (1,000,
 * 1,000,000, 1,000,000,000), Ki/Mi/Gi binary (1,024, ...); rounded to whole bytes. Undefined when
 * the text is none of these (the caller names the flag in its message); never throws.
 */
export function parseByteRate(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kKMG]i?)?\s*$/.exec(text);
  const factor = RATE_FACTORS[match?.[2] ?? ""];
  const bytesPerSecond = Math.round(Number(match?.[1]) * (factor ?? Number.NaN));
  return match !== null && Number.isSafeInteger(bytesPerSecond) ? bytesPerSecond : undefined;
}
