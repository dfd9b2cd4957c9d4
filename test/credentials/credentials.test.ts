// The client id is checked before any request: the real server answers a non-UUID id with a 400
// carrying a raw database error, and an unknown type with 401.
import { describe, expect, it } from "vitest";
import { resolveCredentials } from "../../src/credentials/credentials.js";
import { isMirrorError } from "../../src/errors.js";
import { generateCatalog, sandboxCredentials } from "../../src/sandbox/catalog/catalog.js";

const UUID = "95c436b7-3944-419a-aa34-8e49c6680e15";
const SECRET = "EE2zrn9CLGsLUKMQbqo2WKmQdNg27lIwxOjXi1BvzrVdrLWnHfsrc0OZ4w6iV3Oq";
const BASE = { csUrl: "https://api.distributed-ci.io/", apiSecret: SECRET };

function refusal(clientId: string, clientIdSource?: string): unknown {
  try {
    resolveCredentials({
      ...BASE,
      clientId,
      ...(clientIdSource === undefined ? {} : { clientIdSource }),
    });
  } catch (error) {
    return error;
  }
  throw new Error(`expected ${clientId} to be refused`);
}

describe("client id check", () => {
  it.each([
    ["a remoteci id", `remoteci/${UUID}`, `remoteci/${UUID}`],
    ["a feeder id", `feeder/${UUID}`, `feeder/${UUID}`],
    ["an upper-case UUID", `remoteci/${UUID.toUpperCase()}`, `remoteci/${UUID.toUpperCase()}`],
    ["surrounding blanks", `  remoteci/${UUID}\n`, `remoteci/${UUID}`],
    ["a bare UUID, read as a remoteci as the reference client does", UUID, `remoteci/${UUID}`],
  ])("accepts %s", (_case, clientId, expected) => {
    expect(resolveCredentials({ ...BASE, clientId }).clientId).toBe(expected);
  });

  it.each([
    ["a remoteci id that is not a UUID", "remoteci/1", /not a UUID/],
    ["a remoteci id with a truncated UUID", `remoteci/${UUID.slice(0, 30)}`, /not a UUID/],
    ["an unknown client type", `remotecis/${UUID}`, /"remotecis".*remoteci or feeder/],
    ["a user name in place of a type", `user/${UUID}`, /remoteci or feeder/],
    ["an empty id after the type", "remoteci/", /not a UUID/],
    ["an extra path segment", `remoteci/${UUID}/x`, /2 "\/"/],
    ["a bare word", "abc", /no "\/"/],
    ["the API secret put in the client id", SECRET, /looks like an API secret/],
  ])(
    "refuses %s as a usage error naming where it came from and the expected shape",
    (_case, clientId, problem) => {
      const error = refusal(clientId, "DCI_CLIENT_ID in /etc/dci/dcirc.sh");
      expect(isMirrorError(error) && error.code).toBe("CONFIG_BAD_CLIENT_ID");
      expect(isMirrorError(error) && error.exitCode).toBe(2);
      const text = isMirrorError(error) ? `${error.message} ${error.hint}` : "";
      expect(text).toContain("DCI_CLIENT_ID in /etc/dci/dcirc.sh");
      expect(text).toContain("remoteci/<uuid>");
      expect(text).toMatch(problem);
      expect(text).not.toContain(SECRET);
    },
  );

  it("names DCI_CLIENT_ID when the caller does not say where the id came from", () => {
    const error = refusal("remoteci/1");
    expect(isMirrorError(error) && error.message).toMatch(/^DCI_CLIENT_ID /);
  });

  it("never echoes the refused value, which may be a misplaced secret", () => {
    const error = refusal(`remoteci/${SECRET}`);
    const text = isMirrorError(error) ? `${error.message} ${error.hint}` : "";
    expect(text).toMatch(/not a UUID/);
    expect(text).not.toContain(SECRET);
  });

  it.each(["tiny", "small"] as const)(
    "accepts every identity of the sandbox's generated %s catalog, its printed credentials first",
    (size) => {
      const catalog = generateCatalog({ size });
      const printed = sandboxCredentials(catalog);
      expect(resolveCredentials({ ...BASE, ...printed }).clientId).toBe(printed.clientId);
      expect(catalog.identities.length).toBeGreaterThan(1);
      for (const identity of catalog.identities) {
        const clientId = `${identity.clientType}/${identity.id}`;
        expect(resolveCredentials({ ...BASE, clientId }).clientId).toBe(clientId);
      }
    },
  );
});
