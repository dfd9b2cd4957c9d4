import { describe, expect, it } from "vitest";
import {
  credentialsFromVariables,
  normalizeClientId,
  normalizeCsUrl,
  resolveCredentials,
} from "../../src/credentials/credentials.js";
import { parseDcirc } from "../../src/credentials/dcirc.js";
import { isMirrorError } from "../../src/errors.js";

const ID = "remoteci/95c436b7-3944-419a-aa34-8e49c6680e15";
const SECRET = "EE2zrn9CLGsLUKMQbqo2WKmQdNg27lIwxOjXi1BvzrVdrLWnHfsrc0OZ4w6iV3Oq";

// The shapes a dcirc.sh comes in: the web UI's, the systemd EnvironmentFile one, one-line
// exports, and the YAML flavour; plus quoting cases a hand-edited file may hold.
const shapes: Array<[string, string, Record<string, string>]> = [
  [
    "web UI (quoted, then bare exports)",
    `DCI_CLIENT_ID='${ID}'\nDCI_API_SECRET='${SECRET}'\nDCI_CS_URL='https://api.distributed-ci.io/'\nexport DCI_CLIENT_ID\nexport DCI_API_SECRET\nexport DCI_CS_URL\n`,
    { DCI_CLIENT_ID: ID, DCI_API_SECRET: SECRET, DCI_CS_URL: "https://api.distributed-ci.io/" },
  ],
  [
    "systemd EnvironmentFile with shebang, comment and multi-name export",
    `#!/usr/bin/env bash\nDCI_CS_URL="https://api.distributed-ci.io/"\nDCI_CLIENT_ID=${ID}\nDCI_API_SECRET=${SECRET}\nDCI_LOCAL_REPO='/var/www/html'\n# used by systemd\nexport DCI_CS_URL DCI_CLIENT_ID DCI_API_SECRET DCI_LOCAL_REPO\n`,
    {
      DCI_CS_URL: "https://api.distributed-ci.io/",
      DCI_CLIENT_ID: ID,
      DCI_API_SECRET: SECRET,
      DCI_LOCAL_REPO: "/var/www/html",
    },
  ],
  [
    "one-line exports",
    `export DCI_CLIENT_ID=${ID}\nexport DCI_API_SECRET=${SECRET}\nexport DCI_CS_URL=https://api.distributed-ci.io\n`,
    { DCI_CLIENT_ID: ID, DCI_API_SECRET: SECRET, DCI_CS_URL: "https://api.distributed-ci.io" },
  ],
  [
    "YAML flavour",
    `---\nDCI_CLIENT_ID: ${ID}\nDCI_API_SECRET: '${SECRET}'\nDCI_CS_URL: https://api.distributed-ci.io/ # prod\n`,
    { DCI_CLIENT_ID: ID, DCI_API_SECRET: SECRET, DCI_CS_URL: "https://api.distributed-ci.io/" },
  ],
  [
    "double-quoted escapes, trailing comments, CRLF, later assignment wins",
    `A="x\\"y\\\\z\\$w"\r\nB=bare # comment\r\nC='lit $HOME'\r\nB=second\r\n  D=  \r\n`,
    { A: 'x"y\\z$w', B: "second", C: "lit $HOME", D: "" },
  ],
];

describe("dcirc reader", () => {
  it.each(shapes)("reads the %s shape", (_label, text, expected) => {
    expect(parseDcirc(text)).toEqual(expected);
  });

  it("never executes anything: command substitutions stay text", () => {
    expect(parseDcirc("DCI_API_SECRET='$(touch /tmp/pwned)'\n")).toEqual({
      DCI_API_SECRET: "$(touch /tmp/pwned)",
    });
  });
});

describe("credentials", () => {
  it.each([
    ["abc", "remoteci/abc"],
    ["  remoteci/abc  ", "remoteci/abc"],
    ["feeder/abc", "feeder/abc"],
    ["a/b/c", "a/b"],
  ])("normalises client id %j to %j", (raw, expected) => {
    expect(normalizeClientId(raw)).toBe(expected);
  });

  it.each([
    ["https://api.distributed-ci.io/", "https://api.distributed-ci.io"],
    ["https://host/dci//", "https://host/dci"],
    ["http://127.0.0.1:5000", "http://127.0.0.1:5000"],
  ])("strips trailing slashes from %s", (raw, expected) => {
    expect(normalizeCsUrl(raw)).toBe(expected);
  });

  it("refuses a non-http DCI_CS_URL with a usage error naming the variable", () => {
    expect(() => normalizeCsUrl("ftp://x")).toThrow(/DCI_CS_URL/);
    expect(() => normalizeCsUrl("not a url")).toThrow(/DCI_CS_URL/);
  });

  it("names every missing variable and never prints the secret", () => {
    try {
      resolveCredentials(credentialsFromVariables({ DCI_API_SECRET: SECRET }));
      expect.unreachable();
    } catch (error) {
      expect(isMirrorError(error)).toBe(true);
      const message = String(error);
      expect(message).toContain("DCI_CS_URL");
      expect(message).toContain("DCI_CLIENT_ID");
      expect(message).not.toContain("DCI_API_SECRET");
      expect(`${message} ${isMirrorError(error) ? error.hint : ""}`).not.toContain(SECRET);
      expect(isMirrorError(error) && error.exitCode).toBe(2);
    }
  });
});
