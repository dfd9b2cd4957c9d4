/**
 * The URL look-ahead: the presigned URLs of the files about to start are asked of the files
 * gateway while earlier files stream, so a transfer slot does not wait a round trip to the API
 * for each file. Bounded: at most `window` URLs asked ahead and not yet taken (their requests also
 * pass the client's cap on API requests in flight). It starts at `startWindow` and grows by one
 * each time a transfer finds its URL still on the way, so it holds as many as the API's round
 * trip needs: a near control server sees a few calls ahead, a far one up to `window`. A URL is
 * handed out only while well within its lifetime (url-lifetime.ts); a stale or failed one, and
 * every retry, asks the gateway afresh.
 */
import { isUrlFresh } from "./url-lifetime.js";

/** Asks the gateway for one file's presigned URL. */
export type UrlResolver = (filePath: string, signal: AbortSignal) => Promise<string>;

export interface LookaheadOptions {
  /** The files that will need a URL, in the order their transfers start. */
  readonly paths: readonly string[];
  readonly resolve: UrlResolver;
  /** URLs asked ahead and not yet taken, at most; 0 turns the look-ahead off. */
  readonly window: number;
  /** The look-ahead's first size (default `window`); also the takes not counted for growing. */
  readonly startWindow?: number;
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
  /** Paths whose asking has settled. */
  readonly #settled = new Set<string>();
  /** The index of the next path to ask for. */
  #next = 0;
  /** The current size, from `startWindow` up to `window`. */
  #size: number;
  #takes = 0;

  constructor(options: LookaheadOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
    this.#size = Math.min(options.startWindow ?? options.window, options.window);
    for (const [index, path] of options.paths.entries()) this.#indexOf.set(path, index);
    this.#fill();
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
      if (isFirst) {
        isFirst = false;
        const url = await this.#take(filePath);
        if (url !== undefined) return url;
      }
      return this.#options.resolve(path, signal);
    };
  }

  /** The file's transfer ended: a URL asked for it and never taken frees its place. */
  release(filePath: string): void {
    this.#settled.delete(filePath);
    if (this.#ahead.delete(filePath)) this.#fill();
  }

  async #take(filePath: string): Promise<string | undefined> {
    const asked = this.#ahead.get(filePath);
    // A file reached before the look-ahead got to it: the look-ahead skips past it.
    this.#next = Math.max(this.#next, (this.#indexOf.get(filePath) ?? -1) + 1);
    this.#ahead.delete(filePath);
    // The first takes all wait (nothing could be asked before the run); later, a URL still on
    // the way means the look-ahead is too short for the API's round trip.
    this.#takes++;
    const isLate = !this.#settled.delete(filePath);
    if (isLate && this.#takes > (this.#options.startWindow ?? 0)) {
      this.#size = Math.min(this.#size + 1, this.#options.window);
    }
    this.#fill();
    const answer = await asked;
    if (answer === undefined) return undefined;
    return isUrlFresh(answer.url, this.#now() - answer.receivedMs) ? answer.url : undefined;
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
    const settle = (): void => {
      // Only a URL still waiting to be taken counts as ready.
      if (this.#ahead.has(filePath)) this.#settled.add(filePath);
    };
    return this.#options.resolve(filePath, this.#options.signal).then(
      (url) => {
        settle();
        return { url, receivedMs: this.#now() };
      },
      () => {
        settle();
        return undefined;
      },
    );
  }
}
