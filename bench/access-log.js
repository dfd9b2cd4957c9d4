// nginx's access log of the logged port (format `bench` in nginx.js), read from an offset.
import { readFile, stat } from "node:fs/promises";

/** The log's current size: lines after it belong to the run about to start. */
export async function logOffset(path) {
  return (await stat(path)).size;
}

/** The lines written since `offset`, parsed: status, body bytes, bytes, Range (or undefined), URI. */
export async function accessLogSince(path, offset) {
  const text = (await readFile(path)).subarray(offset).toString("utf8");
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
