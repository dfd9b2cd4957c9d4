/**
 * Reading HTTP response headers as undici hands them over. Pure, and shared by the API transport,
 * the store reader and the downloads.
 */

/** The first value of a response header (undici gives repeated headers as an array). */
export function firstHeader(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  name: string,
): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
