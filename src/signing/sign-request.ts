import type { SignedHeaders, SignRequestInput } from "./sign.js";
import { signRequestAt } from "./sign.js";

export interface SignRequestOptions extends SignRequestInput {
  /** The signing instant; the current time when absent. */
  readonly now?: Date | number;
}

/**
 * Signs a DCI API request and returns the headers to add (`X-DCI-Date` or `X-Amz-Date`, and
 * `Authorization`). The clock is read here only, so `signRequestAt` stays pure.
 */
export function signRequest(options: SignRequestOptions): SignedHeaders {
  const { now, ...input } = options;
  const instant = now === undefined ? new Date() : new Date(now);
  return signRequestAt(input, instant);
}
