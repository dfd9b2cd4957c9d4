/**
 * What one attempt at a file's download came to: the partial holds the listed size ("complete"),
 * the store sent more bytes than listed ("overflow"), another attempt is due ("retry"), or the
 * file failed ("fail"); and what settling a whole body came to (the same, or "placed").
 */
import type { Outcome } from "../model.js";

export type Step =
  | { readonly kind: "complete" }
  | { readonly kind: "overflow" }
  | {
      readonly kind: "retry";
      readonly reason: string;
      readonly retryAfterMs?: number | undefined;
      readonly isImmediate?: boolean;
      readonly madeProgress?: boolean;
    }
  | { readonly kind: "fail"; readonly error: Error };

/** A body that reached (or passed) the listed size: its hash decides what comes next. */
export type BodyStep = Extract<Step, { kind: "complete" | "overflow" }>;

export type RetryStep = Extract<Step, { kind: "retry" }>;

/** What became of a whole body: placed, or retried, or failed. */
export type SettledStep =
  | Extract<Step, { kind: "retry" | "fail" }>
  | { readonly kind: "placed"; readonly outcome: Outcome };
