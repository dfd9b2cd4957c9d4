import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  parseImageReference,
  parseImagesList,
  skopeoSyncYaml,
  topicRegistryCredentials,
} from "../../src/containers/images.js";

const DIGEST = `sha256:${"ab".repeat(32)}`;

describe("container images", () => {
  it.each([
    [
      "registry.distributed-ci.io/rhosp17/openstack-base:17.1_20240415.1",
      {
        registry: "registry.distributed-ci.io",
        repository: "rhosp17/openstack-base",
        reference: "17.1_20240415.1",
      },
    ],
    ["quay.io:443/org/app:v1", { registry: "quay.io:443", repository: "org/app", reference: "v1" }],
    [
      `quay.io/org/app@${DIGEST}`,
      { registry: "quay.io", repository: "org/app", reference: DIGEST },
    ],
    ["no-registry:tag", undefined],
    ["quay.io/org/app", undefined],
  ])("reads %s", (text, expected) => {
    expect(parseImageReference(text)).toEqual(expected);
  });

  it("keeps every tag and digest of an image, once each (dci-downloader kept only the last tag)", () => {
    const images = parseImagesList(
      `---\n- reg.example/a/b:1\n- reg.example/a/b:2\n- reg.example/a/b:1\n- reg.example/a/b@${DIGEST}\n- other.example/c:3\n`,
    );
    const document = parse(skopeoSyncYaml(images, { username: "u", password: "p" }));
    expect(document).toEqual({
      "reg.example": {
        credentials: { username: "u", password: "p" },
        images: { "a/b": ["1", "2", DIGEST] },
      },
      "other.example": { credentials: { username: "u", password: "p" }, images: { c: ["3"] } },
    });
  });

  it("turns TLS verification off only for loopback registries", () => {
    const document = parse(
      skopeoSyncYaml(parseImagesList("- 127.0.0.1:5000/a/b:1\n- reg.example/a/b:1\n"), undefined),
    );
    expect(document["127.0.0.1:5000"]["tls-verify"]).toBe(false);
    expect(document["reg.example"]["tls-verify"]).toBeUndefined();
  });

  it("refuses an entry that is not an image reference, naming it", () => {
    expect(() => parseImagesList("- just-a-name\n")).toThrow(/just-a-name/);
    expect(() => parseImagesList("a: b\n")).toThrow(/not a YAML list/);
  });

  it("reads a topic's registry credentials from data.registry", () => {
    expect(topicRegistryCredentials({ registry: { login: "l", password: "p" } })).toEqual({
      username: "l",
      password: "p",
    });
    expect(topicRegistryCredentials({})).toBeUndefined();
  });
});
