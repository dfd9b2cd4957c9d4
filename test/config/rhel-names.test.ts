import { describe, expect, it } from "vitest";
import { allowedNames, validateTopicNames } from "../../src/config/rhel-names.js";
import { EXIT_CODES, isMirrorError } from "../../src/errors.js";

/** The error validateTopicNames throws, or undefined when the names pass. */
function check(topic: string, arches: string[], variants: string[]) {
  try {
    validateTopicNames(topic, arches, variants);
  } catch (error) {
    if (isMirrorError(error))
      return { code: error.code, message: error.message, exitCode: error.exitCode };
    throw error;
  }
  return undefined;
}

describe("validateTopicNames", () => {
  it.each<[string, string, string[], string[]]>([
    [
      "RHEL-7 server variants and ppc64",
      "RHEL-7.9",
      ["x86_64", "ppc64"],
      ["Server", "Server-optional", "metadata"],
    ],
    [
      "RHEL-8 every variant and arch",
      "RHEL-8.10",
      ["x86_64", "aarch64", "ppc64le", "s390x"],
      [
        "AppStream",
        "BaseOS",
        "CRB",
        "HighAvailability",
        "NFV",
        "RT",
        "ResilientStorage",
        "SAP",
        "SAPHANA",
        "metadata",
      ],
    ],
    ["RHEL-9 with no variant and every arch (empty lists)", "RHEL-9.4", [], []],
    ["a RHEL-9 wildcard topic", "RHEL-9*", ["s390x"], ["BaseOS"]],
    ["a non-RHEL topic, which is not validated", "OCP-4.16", ["riscv64"], ["Anything"]],
    ["RHEL-10, which the table does not cover", "RHEL-10.0", ["riscv64"], ["Foo"]],
    ["a lower-case rhel name (the prefix test is case-sensitive)", "rhel-9.4", ["x"], ["y"]],
  ])("accepts %s", (_label, topic, arches, variants) => {
    expect(check(topic, arches, variants)).toBeUndefined();
  });

  it.each<[string, string, string[], string[], string, string]>([
    [
      "a RHEL-9 variant that does not exist",
      "RHEL-9.4",
      ["x86_64"],
      ["Foo", "BaseOS", "Foo"],
      "USAGE_VARIANT",
      "Variants Foo for the RHEL-9.4 topic are not valid; allowed: AppStream, BaseOS, CRB, HighAvailability, NFV, RT, ResilientStorage, SAP, SAPHANA, metadata",
    ],
    [
      "RHEL-7 variants on a RHEL-8 topic",
      "RHEL-8.10",
      [],
      ["Server", "Workstation"],
      "USAGE_VARIANT",
      "Variants Server, Workstation for the RHEL-8.10 topic are not valid; allowed: AppStream, BaseOS, CRB, HighAvailability, NFV, RT, ResilientStorage, SAP, SAPHANA, metadata",
    ],
    [
      "RHEL-8 variants on a RHEL-7 topic",
      "RHEL-7.9",
      ["x86_64"],
      ["BaseOS"],
      "USAGE_VARIANT",
      "Variants BaseOS for the RHEL-7.9 topic are not valid; allowed: Client, Client-optional, ComputeNode, ComputeNode-optional, Server, Server-optional, Server-NFV, Server-RT, Server-SAP, Server-SAPHANA, Workstation, Workstation-optional, metadata",
    ],
    [
      "aarch64 on RHEL-7",
      "RHEL-7.9",
      ["aarch64"],
      [],
      "USAGE_ARCH",
      "Arches aarch64 for the RHEL-7.9 topic are not valid; allowed: x86_64, ppc64, ppc64le, s390x",
    ],
    [
      "ppc64 and a wrong case on RHEL-9",
      "RHEL-9.4",
      ["ppc64", "X86_64"],
      ["BaseOS"],
      "USAGE_ARCH",
      "Arches ppc64, X86_64 for the RHEL-9.4 topic are not valid; allowed: x86_64, aarch64, ppc64le, s390x",
    ],
  ])(
    "refuses %s, listing the bad and the allowed names",
    (_label, topic, arches, variants, code, message) => {
      expect(check(topic, arches, variants)).toEqual({ code, message, exitCode: EXIT_CODES.usage });
    },
  );

  it("reports variants before arches when both are wrong", () => {
    expect(check("RHEL-9.4", ["sparc"], ["Server"])?.code).toBe("USAGE_VARIANT");
  });

  it.each([
    ["RHEL-7.9", true],
    ["RHEL-8.6", true],
    ["RHEL-9.0", true],
    ["RHEL-10.0", false],
    ["OpenShift-4.16", false],
  ])("knows whether %s is validated", (topic, validated) => {
    expect(allowedNames(topic) !== undefined).toBe(validated);
  });
});
