/**
 * How gently dci-mirror treats the DCI control server, declared once: the API client applies it,
 * and the run settings show it as a default.
 */

/**
 * API requests in flight at once, whatever asks (listings, files-gateway calls, the URL
 * look-ahead). Each file needs one presigned URL, a round trip to the control server: to keep 32
 * transfers fed from a server three times as far as the store, 32 × 3 = 96 must be in flight (on
 * the WAN bench, at 32 transfers: 341 files/s at 64, 394 at 96, 387 at 128). This does not raise
 * the rate of calls DCI sees: far away each call spends most of its time on the wire, and near
 * the server few are in flight (the look-ahead asks only as fast as files finish). Chosen on the
 * WAN bench (BENCHMARKS.md).
 */
export const API_JOBS = 96;
