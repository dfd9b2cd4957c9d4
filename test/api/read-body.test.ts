import { describe, expect, it } from "vitest";
import {
  API_ANSWER_MAX_BYTES,
  FILES_LIST_MAX_BYTES,
  readCappedText,
} from "../../src/api/read-body.js";

/** A body of the given chunks that records whether it was destroyed (how undici aborts). */
function body(chunks: readonly string[]) {
  const state = { destroyed: false, chunksRead: 0 };
  return {
    state,
    async *[Symbol.asyncIterator]() {
      for (const chunk of chunks) {
        state.chunksRead++;
        yield Buffer.from(chunk);
      }
    },
    destroy() {
      state.destroyed = true;
    },
  };
}

const limit = { maxBytes: 10, what: "the files list of component c-1" };

describe("readCappedText", () => {
  it("returns a body at or under the limit as text", async () => {
    expect(await readCappedText(body(["héllo", "1234"]), undefined, limit)).toBe("héllo1234");
  });

  it("stops at the first chunk past the limit, destroys the body and names what it read", async () => {
    const endless = body(["12345", "67890", "X", "never read"]);
    await expect(readCappedText(endless, undefined, limit)).rejects.toThrow(
      "The files list of component c-1 is larger than 10 bytes; refusing it.",
    );
    expect(endless.state.chunksRead).toBe(3);
    expect(endless.state.destroyed).toBe(true);
  });

  it("refuses a Content-Length past the limit before reading anything", async () => {
    const announced = body(["x"]);
    const error = await readCappedText(announced, "11", limit).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: "ApiShapeError", code: "API_BODY_TOO_LARGE", exitCode: 5 });
    expect(announced.state.chunksRead).toBe(0);
    expect(announced.state.destroyed).toBe(true);
  });

  it("documents its limits in MiB: 256 for files and images lists, 64 for other answers", () => {
    expect(FILES_LIST_MAX_BYTES).toBe(256 * 1024 * 1024);
    expect(API_ANSWER_MAX_BYTES).toBe(64 * 1024 * 1024);
  });
});
