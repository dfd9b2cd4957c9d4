/**
 * What the sandbox saw: one entry per request to the API or the object store, so tests can assert
 * on real traffic (a `Range: bytes=N-` that was sent, no `Authorization` reaching the store, no file
 * request at all on a no-op re-sync).
 */
export interface RequestLogEntry {
  /** Increasing from 1 across both servers. */
  readonly seq: number;
  readonly server: "api" | "store";
  readonly method: string;
  /** The path as received on the request line (still percent-encoded), without the query. */
  readonly path: string;
  /**
   * The raw query string for the API; for the store, `""` (presigned query strings are
   * credentials and are never logged).
   */
  readonly query: string;
  readonly range: string | undefined;
  readonly ifRange: string | undefined;
  readonly hasAuthorization: boolean;
  /** The status sent; 0 when the connection was cut before a status line. */
  status: number;
  /** Body bytes actually written to the socket. */
  bytesSent: number;
  /** Object key the store resolved (store only). */
  readonly objectKey?: string;
}

/** An append-only request log shared by the API server and the object store. */
export class RequestLog {
  readonly entries: RequestLogEntry[] = [];
  #nextSeq = 1;

  /** Records a request and returns its entry, to be completed with status and byte count. */
  add(entry: Omit<RequestLogEntry, "seq" | "status" | "bytesSent">): RequestLogEntry {
    const full: RequestLogEntry = { ...entry, seq: this.#nextSeq++, status: 0, bytesSent: 0 };
    this.entries.push(full);
    return full;
  }

  clear(): void {
    this.entries.length = 0;
  }
}
