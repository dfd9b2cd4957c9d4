// The URL look-ahead on its own: which URLs it asks ahead, how many, and which it hands out. The
// resolver here is a plain function that counts; the same class against the real gateway is in
// test/e2e/url-lookahead.test.ts.
import { describe, expect, it } from "vitest";
import { isUrlFresh, urlLifetimeSeconds } from "../../src/transfer/url-lifetime.js";
import { LATE_MS, UrlLookahead } from "../../src/transfer/url-lookahead.js";

const PATHS = ["a", "b", "c", "d", "e", "f"];

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

/**
 * A gateway the test answers by hand, on a clock the test sets: `answer(path)` settles the asking
 * of `path` (now, or as soon as it is asked), `clock.ms` is what the look-ahead reads as now. Each
 * URL ends with `n=<its asking's number>`.
 */
function handGateway() {
  const clock = { ms: 0 };
  const asked: string[] = [];
  const waiting = new Map<string, () => void>();
  const early = new Set<string>();
  const resolve = (path: string) => {
    asked.push(path);
    const url = `https://store.example/${path}?X-Amz-Expires=600&n=${asked.length}`;
    if (early.delete(path)) return Promise.resolve(url);
    return new Promise<string>((done) => waiting.set(path, () => done(url)));
  };
  const answer = (path: string) => {
    const settle = waiting.get(path);
    waiting.delete(path);
    if (settle === undefined) early.add(path);
    else settle();
  };
  return { clock, asked, resolve, answer, now: () => clock.ms };
}

/** Takes `path`'s first URL, answering it `waitMs` later on the hand clock. */
async function takeAfter(
  lookahead: UrlLookahead,
  gateway: ReturnType<typeof handGateway>,
  path: string,
  waitMs: number,
): Promise<string> {
  const taken = lookahead.resolverFor(path)(path, new AbortController().signal);
  await Promise.resolve();
  gateway.clock.ms += waitMs;
  gateway.answer(path);
  return taken;
}

describe("UrlLookahead", () => {
  it("asks nothing ahead while URLs come quickly (a near control server)", async () => {
    const gateway = handGateway();
    const signal = new AbortController().signal;
    const lookahead = new UrlLookahead({ paths: PATHS, window: 4, signal, ...gateway });
    for (const path of ["a", "b", "c"]) await takeAfter(lookahead, gateway, path, 1);
    expect(gateway.asked).toEqual(["a", "b", "c"]);
    expect(lookahead.size).toBe(0);
  });

  it(`grows by two each time a transfer waited ${LATE_MS} ms or more for its URL, up to the window`, async () => {
    const gateway = handGateway();
    const signal = new AbortController().signal;
    const lookahead = new UrlLookahead({ paths: PATHS, window: 3, signal, ...gateway });
    await takeAfter(lookahead, gateway, "a", LATE_MS);
    expect(lookahead.size).toBe(2);
    // "b" and "c" are asked ahead, in order.
    expect(gateway.asked).toEqual(["a", "b", "c"]);
    gateway.answer("b");
    gateway.answer("c");
    await Promise.resolve();
    // "b" was ready: handed out at once, no growth; its place goes to "d".
    const url = await lookahead.resolverFor("b")("b", signal);
    expect(url).toContain("/b?");
    expect(lookahead.size).toBe(2);
    expect(gateway.asked).toEqual(["a", "b", "c", "d"]);
    // "d" is still on the way when its transfer needs it: it waits, and the look-ahead grows to the window.
    await lookahead.resolverFor("c")("c", signal);
    await takeAfter(lookahead, gateway, "d", LATE_MS + 5);
    expect(lookahead.size).toBe(3);
  });

  it("starts at one URL per warmup take once most of the first wave waited (a far API)", async () => {
    const gateway = handGateway();
    const signal = new AbortController().signal;
    const lookahead = new UrlLookahead({
      paths: PATHS,
      window: 6,
      warmupTakes: 2,
      signal,
      ...gateway,
    });
    await takeAfter(lookahead, gateway, "a", LATE_MS);
    expect(lookahead.size).toBe(0);
    await takeAfter(lookahead, gateway, "b", LATE_MS);
    expect(lookahead.size).toBe(2);
    expect(gateway.asked).toEqual(["a", "b", "c", "d"]);
  });

  it("asks afresh for every URL after a file's first (a retry, an expired URL)", async () => {
    const gateway = handGateway();
    const signal = new AbortController().signal;
    const lookahead = new UrlLookahead({ paths: PATHS, window: 1, signal, ...gateway });
    const resolver = lookahead.resolverFor("a");
    const first = resolver("a", signal);
    gateway.answer("a");
    await first;
    const second = resolver("a", signal);
    gateway.answer("a");
    await second;
    expect(gateway.asked.filter((path) => path === "a")).toHaveLength(2);
  });

  it("asks afresh for a URL that aged past 80% of its lifetime while it waited", async () => {
    const gateway = handGateway();
    const signal = new AbortController().signal;
    const lookahead = new UrlLookahead({ paths: PATHS, window: 2, signal, ...gateway });
    await takeAfter(lookahead, gateway, "a", LATE_MS);
    gateway.answer("b");
    await Promise.resolve();
    gateway.clock.ms += 481_000;
    const url = lookahead.resolverFor("b")("b", signal);
    await Promise.resolve();
    await Promise.resolve();
    gateway.answer("b");
    // "b" was asked ahead and again now: the URL handed out is the fresh one.
    expect(gateway.asked.filter((path) => path === "b")).toHaveLength(2);
    expect(await url).toBe(`https://store.example/b?X-Amz-Expires=600&n=${gateway.asked.length}`);
  });

  it("skips the files a transfer reached before the look-ahead did, and frees released places", async () => {
    const gateway = handGateway();
    const signal = new AbortController().signal;
    const lookahead = new UrlLookahead({ paths: PATHS, window: 2, signal, ...gateway });
    await takeAfter(lookahead, gateway, "a", LATE_MS);
    expect(gateway.asked).toEqual(["a", "b", "c"]);
    await takeAfter(lookahead, gateway, "e", 1);
    // "e" was reached first: asked once, by its transfer. "b" and "c" still hold both places.
    expect(gateway.asked).toEqual(["a", "b", "c", "e"]);
    lookahead.release("b");
    // A freed place goes to the file after "e", not to the "d" already passed.
    expect(gateway.asked).toEqual(["a", "b", "c", "e", "f"]);
    expect(lookahead.aheadCount).toBe(2);
  });

  it("lets a file ask for itself when the asking ahead failed, and asks nothing once stopped", async () => {
    const controller = new AbortController();
    const clock = { ms: 0 };
    let calls = 0;
    const resolve = async (path: string) => {
      calls++;
      clock.ms += LATE_MS;
      if (path === "b" && calls === 2) throw new Error("gateway down");
      return `https://store.example/${path}`;
    };
    const lookahead = new UrlLookahead({
      paths: PATHS,
      resolve,
      window: 1,
      signal: controller.signal,
      now: () => clock.ms,
    });
    await lookahead.resolverFor("a")("a", controller.signal);
    // "b" was asked ahead and failed: its transfer asks again, and gets it.
    await expect(lookahead.resolverFor("b")("b", controller.signal)).resolves.toBe(
      "https://store.example/b",
    );
    controller.abort();
    const before = calls;
    lookahead.release("c");
    lookahead.release("d");
    expect(calls).toBe(before);
  });

  it("asks nothing ahead with a window of 0 (--no-prefetch), however long URLs take", async () => {
    const gateway = handGateway();
    const signal = new AbortController().signal;
    const lookahead = new UrlLookahead({ paths: PATHS, window: 0, signal, ...gateway });
    await takeAfter(lookahead, gateway, "a", 1_000);
    expect(gateway.asked).toEqual(["a"]);
  });
});
