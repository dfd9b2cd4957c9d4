/**
 * Fault switches of the sandbox: ways to misbehave on purpose, per file or by glob, so the client's
 * retry, resume and verification paths meet real failures on real sockets.
 */
export interface FaultRule {
  /**
   * Which files: a minimatch glob (dot files included) on the file path relative to the component
   * root (`BaseOS/x86_64/os/Packages/kernel-*.rpm`, `**\/*.iso`, `dci_files_list.json`).
   */
  readonly match: string;
  /** Only files of this component; any component when absent. */
  readonly componentId?: string;
  /** The fault hits the first `times` matching requests, then the file behaves; default: always. */
  readonly times?: number;

  /**
   * Files gateway (API) answers this status, with `Retry-After` when given, instead of the 302; the
   * error body's `message` is `message` when given (e.g. a hostile one), else the status text.
   */
  readonly gatewayStatus?: {
    readonly status: number;
    readonly retryAfterSeconds?: number;
    readonly message?: string;
  };
  /** Object store answers this status (5xx, 429, 403…), with `Retry-After` when given. */
  readonly storeStatus?: { readonly status: number; readonly retryAfterSeconds?: number };
  /** The gateway issues URLs that have already expired (the store answers 403). */
  readonly expireUrls?: boolean;
  /** The store destroys the socket after sending this many body bytes. */
  readonly cutAfterBytes?: number;
  /**
   * The store declares the full Content-Length, sends this many body bytes, then half-closes the
   * socket: the client sees a body that ends early (not a reset, as with `cutAfterBytes`).
   */
  readonly truncateAfterBytes?: number;
  /** The store flips one byte in every 4 KiB block it sends (length unchanged). */
  readonly corrupt?: boolean;
  /** The store sends at most this many bytes per second. */
  readonly bytesPerSecond?: number;
  /** The store sends this many body bytes, then sends nothing more and keeps the socket open. */
  readonly stallAfterBytes?: number;
  /** The store ignores `Range` and answers 200 with the whole object. */
  readonly ignoreRange?: boolean;
  /**
   * The store holds only the first this many bytes of the object (an upload cut short): its
   * Content-Length, ranges and 416 answers all follow that size, while the files list keeps the full one.
   */
  readonly storedBytes?: number;
}
