// nginx's access log of the logged port (format `bench` in nginx.js), read from an offset.
import { open, stat } from "node:fs/promises";

/** The log's current size: lines after it belong to the run about to start. */
export async function logOffset(path) {
  return (await stat(path)).size;
}

/** The lines written since `offset`, parsed: status, body bytes, bytes, Range (or undefined), URI. */
export async function accessLogSince(path, offset) {
  // Only what was appended: the log grows by ~20,000 lines per many run.
  const handle = await open(path, "r");
  let text;
  try {
    const length = Math.max(0, (await handle.stat()).size - offset);
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(length), 0, length, offset);
    text = buffer.subarray(0, bytesRead).toString("utf8");
  } finally {
    await handle.close();
  }
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const [status, bodyBytes, bytes, range, ...uri] = line.split(" ");
      return {
        status: Number(status),
        bodyBytes: Number(bodyBytes),
        bytes: Number(bytes),
        range: range === "-" ? undefined : range,
        uri: uri.join(" "),
      };
    });
}

/** True for the component's files list and images list: metadata, not file requests. */
export function isListing(path) {
  return /\/(dci_files_list\.json|images_list\.yaml)$/.test(path);
}
