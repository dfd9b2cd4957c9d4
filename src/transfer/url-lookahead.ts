/**
 * The URL look-ahead: the presigned URLs of the files about to start are asked of the files
 * gateway while earlier files stream, so a transfer slot does not wait a round trip to the API
 * for each file. It sizes itself: it starts empty, and each transfer that waited a noticeable time
 * (LATE_MS) for its first URL makes it hold two more, up to `window` URLs asked ahead and not yet
 * taken (their requests also pass the client's cap on API requests in flight). A near control
 * server thus sees no call ahead (on loopback, asking ahead only added work), a far one as many
 * as its round trip needs. A URL is handed out only while well within its lifetime
 * (url-lifetime.ts); a stale or failed one, and every retry, asks the gateway afresh.
 */
import { isUrlFresh } from "./url-lifetime.js";

/** Asks the gateway for one file's presigned URL. */
export type UrlResolver = (filePath: string, signal: AbortSignal) => Promise<string>;

/** A wait for a URL this long is a round trip worth hiding (a local API answers in ~1 ms). */
export const LATE_MS = 25;
/** URLs added to the look-ahead per late transfer: a 16-slot run far away is fed within a few files each. */
const GROWTH = 2;

export interface LookaheadOptions {
  /** The files that will need a URL, in the order their transfers start. */
  readonly paths: readonly string[];
  readonly resolve: UrlResolver;
  /** URLs asked ahead and not yet taken, at most; 0 turns the look-ahead off. */
  readonly window: number;
  /**
   * Takes not counted for growing: the first wave of transfers waits whatever the look-ahead
   * (nothing was asked before the run), and a cold start (new connections, code not yet
   * compiled) can make a local API look far. Default 0.
   */
  readonly warmupTakes?: number;
  /** Stops the asking (the run's signal). */
  readonly signal: AbortSignal;
  readonly now?: () => number;
}

/** A URL asked ahead, once its answer came; `undefined` when the asking failed. */
type Asked = { readonly url: string; readonly receivedMs: number } | undefined;

export class UrlLookahead {
  readonly #options: LookaheadOptions;
  readonly #now: () => number;
  readonly #indexOf = new Map<string, number>();
  readonly #ahead = new Map<string, Promise<Asked>>();
  /** The index of the next path to ask for. */
  #next = 0;
  /** URLs it may hold ahead now, from 0 up to `window`. */
  #size = 0;
  #takes = 0;
  #lateWarmups = 0;

  constructor(options: LookaheadOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
    for (const [index, path] of options.paths.entries()) this.#indexOf.set(path, index);
  }

  /** URLs asked ahead and not yet taken or released. */
  get aheadCount(): number {
    return this.#ahead.size;
  }

  /** How many URLs it may hold ahead now. */
  get size(): number {
    return this.#size;
  }

  /**
   * The resolver of one file's download: its first URL comes from the look-ahead when one is
   * ready and fresh; every later one (a retry, an expired URL) is asked afresh.
   */
  resolverFor(filePath: string): UrlResolver {
    let isFirst = true;
    return async (path, signal) => {
      if (!isFirst) return this.#options.resolve(path, signal);
      isFirst = false;
      const startedMs = this.#now();
      const isWarmup = ++this.#takes <= (this.#options.warmupTakes ?? 0);
      const url = (await this.#take(filePath)) ?? (await this.#options.resolve(path, signal));
      if (this.#now() - startedMs >= LATE_MS) this.#late(isWarmup);
      return url;
    };
  }

  /** The file's transfer ended: a URL asked for it and never taken frees its place. */
  release(filePath: string): void {
    if (this.#ahead.delete(filePath)) this.#fill();
  }

  async #take(filePath: string): Promise<string | undefined> {
    const asked = this.#ahead.get(filePath);
    // A file reached before the look-ahead got to it: the look-ahead skips past it.
    this.#next = Math.max(this.#next, (this.#indexOf.get(filePath) ?? -1) + 1);
    this.#ahead.delete(filePath);
    this.#fill();
    const answer = await asked;
    if (answer === undefined) return undefined;
    return isUrlFresh(answer.url, this.#now() - answer.receivedMs) ? answer.url : undefined;
  }

  /**
   * A transfer waited for its first URL. After the warmup, the look-ahead grows; during it, once
   * most of the first wave waited, it starts at one URL per warmup take (a far API, not a cold start).
   */
  #late(isWarmup: boolean): void {
    const warmupTakes = this.#options.warmupTakes ?? 0;
    if (!isWarmup) this.#size = Math.min(this.#size + GROWTH, this.#options.window);
    else if (++this.#lateWarmups * 2 > warmupTakes)
      this.#size = Math.min(Math.max(this.#size, warmupTakes), this.#options.window);
    this.#fill();
  }

  #fill(): void {
    const { paths, signal } = this.#options;
    while (this.#ahead.size < this.#size && this.#next < paths.length && !signal.aborted) {
      const path = paths[this.#next] as string;
      this.#next++;
      this.#ahead.set(path, this.#ask(path));
    }
  }

  /** Never rejects: a failed asking leaves the file to ask for itself (and report the failure). */
  #ask(filePath: string): Promise<Asked> {
    return this.#options.resolve(filePath, this.#options.signal).then(
      (url) => ({ url, receivedMs: this.#now() }),
      () => undefined,
    );
  }
}
