/**
 * How gently dci-mirror treats the DCI control server, declared once: the API client applies it,
 * and the run settings show it as a default.
 */

/**
 * API requests in flight at once, whatever asks (listings, files-gateway calls, the URL
 * look-ahead). A far-away control server needs some in flight to keep transfers fed (one presigned
 * URL per file, each a round trip); chosen on the WAN bench (BENCHMARKS.md).
 */
export const API_JOBS = 16;
