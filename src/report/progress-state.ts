/**
 * What the progress display shows, counted from a run's events: which topic and component are
 * being mirrored, the check phase (hashing present files) and the fetch phase, each with its own
 * files, bytes and recent rate, and the large files in flight. Counting only: drawing is
 * progress-lines.ts (rclone keeps accounting/ apart from its progress display the same way).
 */
import type { MirrorEvent } from "../events.js";
import { RecentRate } from "./recent-rate.js";
import { visibleText } from "./visible-text.js";

/** Files at least this big get a line of their own while they transfer. */
export const LARGE_FILE_BYTES = 4 * 1024 * 1024;
const MAX_FILE_LINES = 4;

/** One phase's counts: files finished (placed, verified or failed) and bytes done, of totals. */
export class PhaseTally {
  doneFiles = 0;
  totalFiles = 0;
  doneBytes = 0;
  totalBytes = 0;
  readonly rate = new RecentRate();

  /** More work is planned at `nowMs`: the phase's clock starts with its first work. */
  plan(files: number, bytes: number, nowMs: number): void {
    if (files === 0) return;
    this.totalFiles += files;
    this.totalBytes += bytes;
    this.rate.start(nowMs, this.doneBytes);
  }

  addBytes(bytes: number, nowMs: number): void {
    this.doneBytes += bytes;
    this.rate.add(nowMs, this.doneBytes);
  }
}

export interface ActiveFile {
  /** The path as shown: control characters escaped. */
  readonly path: string;
  readonly sizeBytes: number;
  doneBytes: number;
}

/** The run's progress, updated by `handle`; read by progress-lines.ts. */
export class ProgressState {
  /** `topic/type name` of the component being mirrored, once one began. */
  label: string | undefined;
  readonly check = new PhaseTally();
  readonly fetch = new PhaseTally();
  /** Large files in flight, in start order (at most MAX_FILE_LINES). */
  readonly files = new Map<string, ActiveFile>();
  /** Files being hashed: a `file-start` for one of them means it differed. */
  readonly #checking = new Set<string>();

  handle(event: MirrorEvent, nowMs: number): void {
    switch (event.type) {
      case "component":
        // Server text: its control characters are shown escaped, never sent to the terminal.
        this.label = visibleText(`${event.topic}/${event.componentType} ${event.componentName}`);
        return;
      case "plan": {
        const { counts } = event;
        this.check.plan(counts.checkFiles, counts.bytesToCheck, nowMs);
        this.fetch.plan(counts.fetchFiles + counts.resumeFiles, counts.bytesToFetch, nowMs);
        return;
      }
      case "check-start":
        this.#checking.add(event.path);
        return;
      case "check-progress":
        this.check.addBytes(event.bytes, nowMs);
        return;
      case "file-start":
        this.#onFileStart(event, nowMs);
        return;
      case "file-progress":
        this.#onFileProgress(event.path, event.bytes, nowMs);
        return;
      case "file-done":
        this.#onFileDone(event.outcome.path);
        return;
      default:
        return;
    }
  }

  #onFileStart(event: Extract<MirrorEvent, { type: "file-start" }>, nowMs: number): void {
    const { path, sizeBytes, offsetBytes } = event;
    if (this.#checking.delete(path)) {
      // Its hash differed: checked, and now one more file to fetch.
      this.check.doneFiles++;
      this.fetch.plan(1, sizeBytes - offsetBytes, nowMs);
    }
    if (sizeBytes >= LARGE_FILE_BYTES && this.files.size < MAX_FILE_LINES)
      this.files.set(path, { path: visibleText(path), sizeBytes, doneBytes: offsetBytes });
  }

  #onFileProgress(path: string, bytes: number, nowMs: number): void {
    this.fetch.addBytes(bytes, nowMs);
    const file = this.files.get(path);
    if (file !== undefined) file.doneBytes += bytes;
  }

  #onFileDone(path: string): void {
    this.files.delete(path);
    if (this.#checking.delete(path)) this.check.doneFiles++;
    else this.fetch.doneFiles++;
  }
}
