/**
 * The shapes of the DCI endpoints a downloader uses: JSON in as `unknown`, checked
 * and typed records out. Pure.
 */
import type {
  Component,
  FilesList,
  FilesListDirectory,
  FilesListFile,
  FilesListSymlink,
  Identity,
  IdentityTeam,
  Job,
  ListPage,
  Topic,
} from "../model.js";
import { ShapeReader } from "./shape.js";

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function readIdentity(body: unknown, endpoint: string): Identity {
  const identity = new ShapeReader(body, endpoint).reader("identity");
  const teams: IdentityTeam[] = Object.entries(identity.object("teams")).map(([id, value]) => {
    const team = new ShapeReader(value, endpoint, `identity.teams.${id}`);
    return {
      id: team.has("id") ? team.string("id") : id,
      name: team.has("team_name") ? team.string("team_name") : team.string("name"),
      state: team.optionalString("state"),
      hasPreReleaseAccess: team.boolean("has_pre_release_access", false),
    };
  });
  return { id: identity.string("id"), name: identity.optionalString("name"), teams };
}

function toTopic(reader: ShapeReader): Topic {
  return {
    id: reader.string("id"),
    name: reader.string("name"),
    productId: reader.optionalString("product_id"),
    componentTypes: reader.strings("component_types").map((type) => type.toLowerCase()),
    exportControl: reader.boolean("export_control", false),
    state: reader.string("state"),
    data: reader.object("data"),
    nextTopicId: reader.optionalString("next_topic_id"),
    createdAt: reader.string("created_at"),
    updatedAt: reader.optionalString("updated_at") ?? reader.string("created_at"),
    etag: reader.optionalString("etag") ?? "",
  };
}

function toComponent(reader: ShapeReader): Component {
  const name = reader.string("name");
  return {
    id: reader.string("id"),
    topicId: reader.string("topic_id"),
    name,
    displayName: reader.optionalString("display_name") ?? name,
    type: reader.string("type").toLowerCase(),
    tags: reader.strings("tags"),
    state: reader.string("state"),
    teamId: reader.optionalString("team_id"),
    version: reader.optionalString("version"),
    url: reader.optionalString("url"),
    createdAt: reader.string("created_at"),
    releasedAt: reader.optionalString("released_at"),
    etag: reader.optionalString("etag") ?? "",
  };
}

function readList<T>(
  body: unknown,
  endpoint: string,
  key: string,
  convert: (reader: ShapeReader) => T,
): ListPage<T> {
  const root = new ShapeReader(body, endpoint);
  const items = root
    .requiredArray(key)
    .map((item, index) => convert(new ShapeReader(item, endpoint, `${key}[${index}]`)));
  const meta = root.object("_meta");
  const count = typeof meta["count"] === "number" ? meta["count"] : items.length;
  return { items, count };
}

export function readTopicList(body: unknown, endpoint: string): ListPage<Topic> {
  return readList(body, endpoint, "topics", toTopic);
}

export function readTopic(body: unknown, endpoint: string): Topic {
  return toTopic(new ShapeReader(body, endpoint).reader("topic"));
}

export function readComponentList(body: unknown, endpoint: string): ListPage<Component> {
  return readList(body, endpoint, "components", toComponent);
}

export function readComponent(body: unknown, endpoint: string): Component {
  return toComponent(new ShapeReader(body, endpoint).reader("component"));
}

/** A job answer whose `components` may be absent: the creation answer never lists them. */
export interface JobAnswer {
  readonly job: Omit<Job, "componentIds">;
  /** Undefined when the answer has no `components` key (not the same as an empty list). */
  readonly componentIds: readonly string[] | undefined;
}

/** Reads `{"job": {...}}`, keeping "no components key" apart from "no components". */
export function readJobAnswer(body: unknown, endpoint: string): JobAnswer {
  const job = new ShapeReader(body, endpoint).reader("job");
  const componentIds = job.has("components")
    ? job.array("components").map((item, index) => {
        if (typeof item === "string") return item;
        return new ShapeReader(item, endpoint, `job.components[${index}]`).string("id");
      })
    : undefined;
  return {
    job: {
      id: job.string("id"),
      etag: job.string("etag"),
      topicId: job.string("topic_id"),
      state: job.string("state"),
      createdAt: job.string("created_at"),
    },
    componentIds,
  };
}

/** Reads `{"job": {...}}` with its components; throws ApiShapeError when they are not listed. */
export function readJob(body: unknown, endpoint: string): Job {
  const { job, componentIds } = readJobAnswer(body, endpoint);
  if (componentIds === undefined) {
    return new ShapeReader(body, endpoint).reader("job").fail("components", "a list of components");
  }
  return { ...job, componentIds };
}

/**
 * Checks a files list. Paths and names are returned as sent: whether they are safe to write is the
 * planner's decision (planning/safe-path), not the parser's.
 */
export function readFilesList(body: unknown, endpoint: string): FilesList {
  const root = new ShapeReader(body, endpoint);
  // `files` is required: a list without it must never read as an empty component (whose mirror
  // would then be pruned); `symlinks` and `directories` may be absent (filtered lists have none).
  const files = root.requiredArray("files").map((item, index): FilesListFile => {
    const file = new ShapeReader(item, endpoint, `files[${index}]`);
    const sizeBytes = file.number("size");
    const sha256 = file.string("sha256").toLowerCase();
    if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 0)
      file.fail("size", "a whole number of bytes");
    if (!SHA256_HEX.test(sha256)) file.fail("sha256", "64 hexadecimal digits");
    return { path: file.string("path"), name: file.string("name"), sizeBytes, sha256 };
  });
  const symlinks = root.array("symlinks").map((item, index): FilesListSymlink => {
    const link = new ShapeReader(item, endpoint, `symlinks[${index}]`);
    return {
      path: link.string("path"),
      name: link.string("name"),
      destination: link.string("destination"),
    };
  });
  const directories = root.array("directories").map((item, index): FilesListDirectory => {
    const directory = new ShapeReader(item, endpoint, `directories[${index}]`);
    return { path: directory.string("path"), name: directory.string("name") };
  });
  return { files, symlinks, directories };
}
