/**
 * Deterministic identifiers for the sandbox catalog: UUIDs, etags, secrets and small numbers, all
 * derived from the catalog seed and a label, so the same seed always yields the same catalog.
 */
import { createHash } from "node:crypto";

const SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function digest(seed: string, label: string): Buffer {
  // The NUL separator keeps ("ab", "c") and ("a", "bc") apart.
  return createHash("sha256").update(`${seed}\0${label}`).digest();
}

/** A v4-looking lower-case UUID derived from sha256(seed + label). */
export function deriveUuid(seed: string, label: string): string {
  const bytes = digest(seed, `uuid:${label}`).subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20, 32),
  ].join("-");
}

/** A 32-hex-character etag, like the ones the DCI API stores (random there, derived here). */
export function deriveEtag(seed: string, label: string): string {
  return digest(seed, `etag:${label}`).toString("hex").slice(0, 32);
}

/** Lower-case hex of a given length (at most 64), for checksum-looking names. */
export function deriveHex(seed: string, label: string, length: number): string {
  return digest(seed, `hex:${label}`).toString("hex").slice(0, length);
}

/** A 64-character [A-Za-z0-9] API secret. */
export function deriveSecret(seed: string, label: string): string {
  const bytes = Buffer.concat([digest(seed, `secret1:${label}`), digest(seed, `secret2:${label}`)]);
  let secret = "";
  for (const byte of bytes) secret += SECRET_ALPHABET[byte % SECRET_ALPHABET.length];
  return secret;
}

/** An integer in [minimum, maximum], stable for a given seed and label. */
export function deriveInt(seed: string, label: string, minimum: number, maximum: number): number {
  const value = digest(seed, `int:${label}`).readUInt32BE(0);
  return minimum + (value % (maximum - minimum + 1));
}
