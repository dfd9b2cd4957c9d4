/**
 * A lab host's clock may drift. When the server calls a signature expired and its own Date shows
 * the local clock off by more than the signature window, requests are signed with the server's
 * time from then on: this reads that offset from an answer, and words the warning.
 */
import { firstHeader } from "../http/headers.js";
import { SIGNATURE_WINDOW_MS } from "../signing/canonical.js";
import { type HttpAnswer, serverMessage } from "./signed-exchange.js";

/**
 * The server's time minus the local time, when `answer` rejects an expired signature and its Date
 * header shows the local clock off by more than the signature window; undefined otherwise.
 */
export function skewedClockOffsetMs(answer: HttpAnswer, now: () => number): number | undefined {
  if (answer.status !== 400 || !serverMessage(answer.body).includes("signature is expired"))
    return undefined;
  const serverDateMs = Date.parse(firstHeader(answer.headers, "date") ?? "");
  if (Number.isNaN(serverDateMs)) return undefined;
  const offsetMs = serverDateMs - now();
  return Math.abs(offsetMs) <= SIGNATURE_WINDOW_MS ? undefined : offsetMs;
}

function formatOffset(offsetMs: number): string {
  const totalSeconds = Math.round(Math.abs(offsetMs) / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  return `${minutes} min ${totalSeconds % 60} s ${offsetMs > 0 ? "behind" : "ahead of"}`;
}

/** The warning given once requests are signed with the server's time. */
export function clockSkewMessage(offsetMs: number): string {
  return `The system clock is ${formatOffset(offsetMs)} the DCI server's; requests are now signed with the server's time. Fix the clock (timedatectl; chronyd or ntpd).`;
}
