// The package entry point as an installed user imports it: the built dist/index.js.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
const vectors = JSON.parse(
  readFileSync(new URL("../fixtures/signing-vectors.json", import.meta.url), "utf8"),
);

describe("package entry point", () => {
  it("is dist/index.js and exports the public API", async () => {
    expect(manifest.exports["."].import).toBe("./dist/index.js");
    const entry = await import(new URL("../../dist/index.js", import.meta.url).href);
    for (const name of [
      "signRequest",
      "verifyRequest",
      "DciClient",
      "startSandbox",
      "MirrorError",
      "EXIT_CODES",
    ]) {
      expect(entry[name], name).toBeDefined();
    }
    const [vector] = vectors.vectors;
    const headers = entry.signRequest({
      method: vector.method,
      url: `${vector.scheme}://${vector.host}${vector.path}`,
      accessKey: vector.access_key,
      secretKey: vector.secret_key,
      now: Date.UTC(2024, 8, 19, 13, 25, 39),
    });
    expect(headers).toEqual(vector.expected_headers);
  });
});
