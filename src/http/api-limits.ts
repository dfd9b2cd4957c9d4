/**
 * How gently dci-mirror treats the DCI control server, declared once: the API client applies it,
 * and the run settings show it as a default.
 */

/**
 * API requests in flight at once, whatever asks (listings, files-gateway calls, the URL
 * look-ahead). Each file needs one presigned URL, a round trip to the control server: to keep 16
 * transfers fed from a server three times as far as the store, about 40 must be in flight (on the
 * WAN bench, at 32 transfers, 64 moved 2.5 times the files of 16 and 12% more than 48). Near
 * the server few are: the look-ahead asks as fast as files finish. Chosen on the WAN bench
 * (BENCHMARKS.md).
 */
export const API_JOBS = 64;
