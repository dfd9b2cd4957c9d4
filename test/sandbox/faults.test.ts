import { describe, expect, it } from "vitest";
import type { FaultRule } from "../../src/sandbox/faults/fault-types.js";
import { FaultBook, type FaultQuery } from "../../src/sandbox/faults/faults.js";

const store = (filePath: string, componentId = "c1"): FaultQuery => ({
  componentId,
  filePath,
  stage: "store",
});

function bookWith(...rules: FaultRule[]): FaultBook {
  const book = new FaultBook();
  book.set(rules);
  return book;
}

describe("FaultBook", () => {
  it.each([
    ["BaseOS/x86_64/os/Packages/kernel-*.rpm", "BaseOS/x86_64/os/Packages/kernel-5.14.rpm", true],
    ["BaseOS/x86_64/os/Packages/kernel-*.rpm", "BaseOS/aarch64/os/Packages/kernel-5.14.rpm", false],
    ["**/*.iso", "BaseOS/x86_64/iso/RHEL-9.4.0-x86_64-dvd1.iso", true],
    ["**/*.iso", "top.iso", true],
    ["**/*", ".composeinfo", true],
    ["*", "metadata/.hidden", false],
    ["**/.treeinfo", "BaseOS/x86_64/os/.treeinfo", true],
    ["dci_files_list.json", "dci_files_list.json", true],
    ["dci_files_list.json", "sub/dci_files_list.json", false],
  ])("matches glob %s against %s: %s", (match, filePath, expected) => {
    const book = bookWith({ match, corrupt: true });
    expect(book.take(store(filePath))).toHaveLength(expected ? 1 : 0);
  });

  it("stops applying a rule once its times are used up", () => {
    const book = bookWith({ match: "**/*.rpm", times: 2, storeStatus: { status: 503 } });
    expect(book.take(store("a.rpm"))).toHaveLength(1);
    expect(book.take(store("other.txt"))).toHaveLength(0);
    expect(book.take(store("b.rpm"))).toHaveLength(1);
    expect(book.take(store("a.rpm"))).toHaveLength(0);
  });

  it("applies a rule without times to every request", () => {
    const book = bookWith({ match: "**", cutAfterBytes: 10 });
    for (let index = 0; index < 5; index++) expect(book.take(store("x"))).toHaveLength(1);
  });

  it("limits a rule to its component", () => {
    const book = bookWith({ match: "**", componentId: "c2", corrupt: true });
    expect(book.take(store("f", "c1"))).toHaveLength(0);
    expect(book.take(store("f", "c2"))).toHaveLength(1);
  });

  it("counts uses per stage and ignores rules with no switch for the stage", () => {
    const book = bookWith(
      { match: "**", times: 1, gatewayStatus: { status: 401 } },
      { match: "**", times: 1, expireUrls: true, ignoreRange: true },
    );
    expect(book.take(store("f"))).toHaveLength(1);
    expect(book.take({ ...store("f"), stage: "gateway" })).toHaveLength(2);
    expect(book.take({ ...store("f"), stage: "gateway" })).toHaveLength(0);
    expect(book.take(store("f"))).toHaveLength(0);
  });

  it("returns every matching rule in the order they were set", () => {
    const first: FaultRule = { match: "**", corrupt: true };
    const second: FaultRule = { match: "*.iso", bytesPerSecond: 100 };
    expect(bookWith(first, second).take(store("a.iso"))).toEqual([first, second]);
  });

  it("forgets rules on clear and resets counts on set", () => {
    const rule: FaultRule = { match: "**", times: 1, corrupt: true };
    const book = bookWith(rule);
    book.take(store("f"));
    book.set([rule]);
    expect(book.take(store("f"))).toHaveLength(1);
    book.clear();
    expect(book.take(store("f"))).toHaveLength(0);
    expect(book.list()).toEqual([]);
  });

  it("rejects a negative times", () => {
    expect(() => bookWith({ match: "**", times: -1, corrupt: true })).toThrow(RangeError);
  });
});
