import { describe, expect, it } from "vitest";
import {
  readComponentList,
  readFilesList,
  readJob,
  readTopicList,
} from "../../src/api/endpoints.js";
import { ApiShapeError } from "../../src/errors.js";

const ENDPOINT = "dci_files_list.json of component 7f6b";

function shapeErrorOf(read: () => unknown): ApiShapeError {
  try {
    read();
  } catch (error) {
    if (error instanceof ApiShapeError) return error;
    throw error;
  }
  throw new Error("no error thrown");
}

describe("readFilesList", () => {
  it.each([
    ["without a files key", {}],
    ["with files null", { files: null }],
    ["with files as a string", { files: "none" }],
    ["with files as an object", { files: {} }],
  ])("refuses a list %s as a shape error naming the component and the key", (_label, body) => {
    const error = shapeErrorOf(() => readFilesList(body, ENDPOINT));
    expect(error.exitCode).toBe(5);
    expect(error.code).toBe("API_SHAPE");
    expect(error.message).toContain("component 7f6b");
    expect(error.message).toContain("files");
  });

  it("reads an empty files list (with no symlinks or directories keys) as empty", () => {
    expect(readFilesList({ files: [] }, ENDPOINT)).toEqual({
      files: [],
      symlinks: [],
      directories: [],
    });
  });

  it("still refuses symlinks of the wrong type", () => {
    expect(
      shapeErrorOf(() => readFilesList({ files: [], symlinks: 3 }, ENDPOINT)).message,
    ).toContain("symlinks");
  });
});

describe("list answers", () => {
  it.each([
    [
      "a topic list without topics",
      () => readTopicList({ _meta: { count: 3 } }, "/api/v1/topics"),
      "topics",
    ],
    [
      "a topic list with topics null",
      () => readTopicList({ topics: null }, "/api/v1/topics"),
      "topics",
    ],
    [
      "a component list without components",
      () => readComponentList({ _meta: { count: 1 } }, "/api/v1/topics/t/components"),
      "components",
    ],
    [
      "a job without components",
      () =>
        readJob(
          { job: { id: "j", etag: "e", topic_id: "t", state: "new", created_at: "x" } },
          "/api/v1/jobs",
        ),
      "components",
    ],
  ])("refuses %s as a shape error naming the key", (_label, read, key) => {
    const error = shapeErrorOf(read);
    expect(error.message).toContain(key);
    expect(error.exitCode).toBe(5);
  });
});
