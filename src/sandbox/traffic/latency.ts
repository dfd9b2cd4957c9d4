/**
 * The far-away server's delay: a response is held before its head goes out, as a control server
 * or an object store across a WAN answers a round trip (plus its own time) later than loopback.
 */
import type { ServerResponse } from "node:http";

/**
 * Waits `delayMs`, then resolves true; resolves false as soon as the response closes instead (the
 * client gave up), clearing the timer, so an abandoned request leaves nothing behind. Never rejects.
 */
export function holdResponse(res: ServerResponse, delayMs: number): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off("close", onClose);
      resolve(!res.destroyed);
    }, delayMs);
    res.once("close", onClose);
  });
}
