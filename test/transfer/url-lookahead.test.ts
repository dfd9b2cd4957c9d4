// The URL look-ahead on its own: which URLs it asks ahead, how many, and which it hands out. The
// resolver here is a plain function that counts; the same class against the real gateway is in
// test/e2e/url-lookahead.test.ts.
import { describe, expect, it } from "vitest";
import { isUrlFresh, urlLifetimeSeconds } from "../../src/transfer/url-lifetime.js";
import { UrlLookahead } from "../../src/transfer/url-lookahead.js";

const PATHS = ["a", "b", "c", "d", "e", "f"];

/** A resolver that answers `url-<path>#<n>` (n counts the askings) once `release` is called. */
function countingResolver() {
  const asked: string[] = [];
  const resolve = async (path: string) => {
    asked.push(path);
    return `https://store.example/${path}?X-Amz-Expires=600&n=${asked.length}`;
  };
  return { asked, resolve };
}

describe("url lifetime", () => {
  it("reads X-Amz-Expires and falls back to 600 s when the URL claims none or nonsense", () => {
    expect(urlLifetimeSeconds("https://s/o?X-Amz-Expires=30")).toBe(30);
    expect(urlLifetimeSeconds("https://s/o")).toBe(600);
    expect(urlLifetimeSeconds("https://s/o?X-Amz-Expires=-5")).toBe(600);
    expect(urlLifetimeSeconds("https://s/o?X-Amz-Expires=1e9")).toBe(600);
    expect(urlLifetimeSeconds("not a url")).toBe(600);
  });

  it("hands a URL out only in the first 80% of its lifetime", () => {
    const url = "https://s/o?X-Amz-Expires=10";
    expect(isUrlFresh(url, 7_900)).toBe(true);
    expect(isUrlFresh(url, 8_000)).toBe(true);
    expect(isUrlFresh(url, 8_001)).toBe(false);
    expect(isUrlFresh("https://s/o", 479_000)).toBe(true);
    expect(isUrlFresh("https://s/o", 481_000)).toBe(false);
  });
});

describe("UrlLookahead", () => {
  it("asks at most `window` URLs ahead, in the order the transfers start", async () => {
    const { asked, resolve } = countingResolver();
    const signal = new AbortController().signal;
    const lookahead = new UrlLookahead({ paths: PATHS, resolve, window: 2, signal });
    expect(asked).toEqual(["a", "b"]);
    expect(lookahead.aheadCount).toBe(2);
    const url = await lookahead.resolverFor("a")("a", signal);
    expect(url).toContain("/a?");
    // Taking "a" made room for "c"; the first URL of "a" was the one asked ahead.
    expect(asked).toEqual(["a", "b", "c"]);
    expect(lookahead.aheadCount).toBe(2);
  });

  it("asks afresh for every URL after a file's first (a retry, an expired URL)", async () => {
    const { asked, resolve } = countingResolver();
    const signal = new AbortController().signal;
    const lookahead = new UrlLookahead({ paths: PATHS, resolve, window: 1, signal });
    const resolver = lookahead.resolverFor("a");
    await resolver("a", signal);
    await resolver("a", signal);
    expect(asked.filter((path) => path === "a")).toHaveLength(2);
  });

  it("asks afresh for a URL that aged past 80% of its lifetime while it waited", async () => {
    const { asked, resolve } = countingResolver();
    const signal = new AbortController().signal;
    let nowMs = 0;
    const lookahead = new UrlLookahead({
      paths: PATHS,
      resolve,
      window: 2,
      signal,
      now: () => nowMs,
    });
    await Promise.resolve();
    nowMs = 481_000;
    const url = await lookahead.resolverFor("b")("b", signal);
    // "b" was asked ahead at 0 ms and again now: the URL handed out is the fresh one.
    expect(asked.filter((path) => path === "b")).toHaveLength(2);
    expect(url).toBe(`https://store.example/b?X-Amz-Expires=600&n=${asked.lastIndexOf("b") + 1}`);
  });

  it("skips the files a transfer reached before the look-ahead did, and frees released places", async () => {
    const { asked, resolve } = countingResolver();
    const signal = new AbortController().signal;
    const lookahead = new UrlLookahead({ paths: PATHS, resolve, window: 2, signal });
    await lookahead.resolverFor("d")("d", signal);
    // "d" was reached first: asked once, by its transfer. "a" and "b" still hold both places.
    expect(asked).toEqual(["a", "b", "d"]);
    lookahead.release("a");
    // A freed place goes to the file after "d", not to the "c" already passed.
    expect(asked).toEqual(["a", "b", "d", "e"]);
    expect(lookahead.aheadCount).toBe(2);
  });

  it("lets a file ask for itself when the asking ahead failed, and asks nothing once stopped", async () => {
    const controller = new AbortController();
    let calls = 0;
    const resolve = async (path: string) => {
      calls++;
      if (calls === 1) throw new Error("gateway down");
      return `https://store.example/${path}`;
    };
    const lookahead = new UrlLookahead({
      paths: PATHS,
      resolve,
      window: 1,
      signal: controller.signal,
    });
    await expect(lookahead.resolverFor("a")("a", controller.signal)).resolves.toBe(
      "https://store.example/a",
    );
    controller.abort();
    lookahead.release("b");
    const before = calls;
    lookahead.release("c");
    expect(calls).toBe(before);
  });

  it("grows by one each time a transfer finds its URL still on the way, up to the window", async () => {
    const pending = new Map<string, (url: string) => void>();
    const resolve = (path: string) =>
      new Promise<string>((done) => pending.set(path, (url) => done(url)));
    const signal = new AbortController().signal;
    const paths = ["a", "b", "c", "d", "e", "f", "g", "h"];
    const lookahead = new UrlLookahead({ paths, resolve, window: 4, startWindow: 2, signal });
    expect(lookahead.size).toBe(2);
    // The first two takes wait whatever the size: they do not count.
    for (const path of ["a", "b"]) {
      const taken = lookahead.resolverFor(path)(path, signal);
      pending.get(path)?.(`https://s/${path}`);
      await taken;
    }
    expect(lookahead.size).toBe(2);
    // "c" is still on the way when its transfer takes it: one more ahead.
    const late = lookahead.resolverFor("c")("c", signal);
    expect(lookahead.size).toBe(3);
    pending.get("c")?.("https://s/c");
    await late;
    // "d" is ready when taken: no growth.
    pending.get("d")?.("https://s/d");
    await Promise.resolve();
    await lookahead.resolverFor("d")("d", signal);
    expect(lookahead.size).toBe(3);
    // Late again, twice: capped at the window.
    for (const path of ["e", "f"]) {
      const taken = lookahead.resolverFor(path)(path, signal);
      pending.get(path)?.(`https://s/${path}`);
      await taken;
    }
    expect(lookahead.size).toBe(4);
  });

  it("asks nothing ahead with a window of 0 (--no-prefetch)", async () => {
    const { asked, resolve } = countingResolver();
    const signal = new AbortController().signal;
    const lookahead = new UrlLookahead({ paths: PATHS, resolve, window: 0, signal });
    expect(asked).toEqual([]);
    await lookahead.resolverFor("a")("a", signal);
    expect(asked).toEqual(["a"]);
  });
});
