/**
 * Draws a run's progress from its events. On a TTY: a cli-progress block on stderr, one overall
 * line (bytes, files, rate, ETA) and one line per active large file, with log lines printed above
 * it. Elsewhere (cron, systemd, pipes): sparse plain lines, no ANSI codes, a progress line at most
 * every 30 s.
 */
import { MultiBar, type SingleBar } from "cli-progress";
import type { MirrorEvent } from "../events.js";
import type { Outcome } from "../model.js";
import { formatBytes, formatRate } from "../units.js";
import { visibleText } from "./visible-text.js";

export interface ProgressOptions {
  readonly isTty: boolean;
  /** Draw nothing but failures (`--quiet`, `--json`). */
  readonly quiet: boolean;
  /** `--no-progress` turns the TTY block into plain lines. */
  readonly showBar: boolean;
  readonly write: (line: string) => void;
  /** A file failed: always shown, above the bars when there are some. */
  readonly fail: (failure: Extract<Outcome, { kind: "failed" }>) => void;
  readonly now: () => number;
  readonly plainIntervalMs?: number;
  /** Detail for --verbose (retries); a no-op otherwise. */
  readonly debug?: (line: string) => void;
}

/** Files at least this big get a line of their own while they transfer. */
const LARGE_FILE_BYTES = 4 * 1024 * 1024;
const MAX_FILE_LINES = 4;
const TOTAL_FORMAT =
  " {bar} {percentage}% | {done}/{size} | {files} files | {speed} | ETA {eta_formatted}";
const FILE_FORMAT = "   {bar} {percentage}% | {done}/{size} | {name}";

/** Turns MirrorEvents into output; call `stop()` before printing the summary. */
export class ProgressReporter {
  readonly #options: ProgressOptions;
  #block: MultiBar | undefined;
  #total: SingleBar | undefined;
  readonly #fileBars = new Map<string, { bar: SingleBar; sizeBytes: number; doneBytes: number }>();
  #totalBytes = 0;
  #doneBytes = 0;
  #totalFiles = 0;
  #doneFiles = 0;
  #lastPlainMs: number;
  readonly #startedMs: number;

  constructor(options: ProgressOptions) {
    this.#options = options;
    this.#startedMs = options.now();
    this.#lastPlainMs = this.#startedMs;
  }

  /** A log line: its server text (names, messages) can hold control characters, shown escaped. */
  #log(line: string): void {
    if (this.#block !== undefined) this.#block.log(`${visibleText(line)}\n`);
    else this.#options.write(visibleText(line));
  }

  handle(event: MirrorEvent): void {
    switch (event.type) {
      case "lock-wait":
        this.#log(
          `waiting for ${event.lockPath}: held by pid ${event.owner.pid} on ${event.owner.host} since ${event.owner.startedAt}`,
        );
        return;
      case "warning":
        this.#log(`warning: ${event.message}`);
        return;
      case "images":
        if (!this.#options.quiet)
          this.#log(
            `${event.componentName}: ${event.imageCount} container image(s) copied to ${event.registry}`,
          );
        return;
      case "prune":
        this.#options.debug?.(visibleText(`removed ${event.path}`));
        return;
      case "skopeo":
        this.#options.debug?.(visibleText(`skopeo: ${event.line}`));
        return;
      case "file-retry":
        this.#options.debug?.(
          visibleText(
            `retrying ${event.path} in ${event.delayMs} ms (attempt ${event.attempt}: ${event.reason})`,
          ),
        );
        return;
      case "plan":
        this.#onPlan(event);
        return;
      case "file-start":
        this.#onFileStart(event);
        return;
      case "file-progress":
        this.#onFileProgress(event.path, event.bytes);
        return;
      case "file-done":
        this.#onFileDone(event.outcome);
        return;
      default:
        return;
    }
  }

  #onPlan(event: Extract<MirrorEvent, { type: "plan" }>): void {
    const counts = event.counts;
    const transfers = counts.fetchFiles + counts.resumeFiles + counts.checkFiles;
    this.#totalFiles += transfers;
    this.#totalBytes += counts.bytesToFetch;
    if (!this.#options.quiet) {
      this.#log(
        `${event.componentName}: ${counts.totalFiles} files (${formatBytes(counts.totalBytes)}); ` +
          `${counts.fetchFiles + counts.resumeFiles} to fetch (${formatBytes(counts.bytesToFetch)}), ` +
          `${counts.checkFiles} to check, ${counts.skipFiles} up to date, ${counts.pruneEntries} to remove`,
      );
    }
    if (this.#options.isTty && this.#options.showBar && !this.#options.quiet && transfers > 0)
      this.#startBlock();
  }

  #startBlock(): void {
    if (this.#block === undefined || this.#total === undefined) {
      this.#block = new MultiBar(
        {
          stream: process.stderr,
          hideCursor: true,
          clearOnComplete: true,
          etaBuffer: 50,
          fps: 5,
          format: TOTAL_FORMAT,
        },
        { format: TOTAL_FORMAT, barCompleteChar: "#", barIncompleteChar: "-" },
      );
      this.#total = this.#block.create(this.#totalBytes, this.#doneBytes, this.#payload());
      return;
    }
    this.#total.setTotal(this.#totalBytes);
  }

  #onFileStart(event: Extract<MirrorEvent, { type: "file-start" }>): void {
    if (
      this.#block === undefined ||
      event.sizeBytes < LARGE_FILE_BYTES ||
      this.#fileBars.size >= MAX_FILE_LINES
    )
      return;
    const name = event.path.length > 60 ? `…${event.path.slice(-59)}` : event.path;
    const bar = this.#block.create(
      event.sizeBytes,
      event.offsetBytes,
      this.#filePayload(name, event.offsetBytes, event.sizeBytes),
      {
        format: FILE_FORMAT,
      },
    );
    this.#fileBars.set(event.path, {
      bar,
      sizeBytes: event.sizeBytes,
      doneBytes: event.offsetBytes,
    });
  }

  #onFileProgress(path: string, bytes: number): void {
    this.#doneBytes += bytes;
    this.#total?.update(this.#doneBytes, this.#payload());
    const file = this.#fileBars.get(path);
    if (file !== undefined) {
      file.doneBytes += bytes;
      file.bar.update(
        file.doneBytes,
        this.#filePayload(path.split("/").pop() ?? path, file.doneBytes, file.sizeBytes),
      );
    }
    this.#maybePlainLine();
  }

  #onFileDone(outcome: Outcome): void {
    const file = this.#fileBars.get(outcome.path);
    if (file !== undefined) {
      this.#block?.remove(file.bar);
      this.#fileBars.delete(outcome.path);
    }
    if (outcome.kind === "failed") {
      if (this.#block !== undefined) this.#log(`failed ${outcome.path}: ${outcome.message}`);
      else this.#options.fail(outcome);
      return;
    }
    this.#doneFiles++;
    this.#total?.update(this.#doneBytes, this.#payload());
  }

  #filePayload(name: string, doneBytes: number, sizeBytes: number): Record<string, string> {
    // cli-progress writes the payload as it is: escape the name like every other line.
    return { name: visibleText(name), done: formatBytes(doneBytes), size: formatBytes(sizeBytes) };
  }

  #payload(): Record<string, string> {
    const elapsedMs = Math.max(1, this.#options.now() - this.#startedMs);
    return {
      done: formatBytes(this.#doneBytes),
      size: formatBytes(this.#totalBytes),
      files: `${this.#doneFiles}/${this.#totalFiles}`,
      speed: formatRate(this.#doneBytes, elapsedMs),
    };
  }

  #maybePlainLine(): void {
    if (this.#block !== undefined || this.#options.quiet) return;
    const nowMs = this.#options.now();
    if (nowMs - this.#lastPlainMs < (this.#options.plainIntervalMs ?? 30_000)) return;
    this.#lastPlainMs = nowMs;
    const payload = this.#payload();
    this.#options.write(
      `progress: ${payload["done"]} of ${payload["size"]}, ${payload["files"]} files, ${payload["speed"]}`,
    );
  }

  stop(): void {
    // cli-progress holds log lines until its next redraw (every 200 ms) and stop() drops them:
    // one last redraw prints a failure that came just before the end of the run.
    this.#block?.update();
    this.#block?.stop();
    this.#block = undefined;
    this.#total = undefined;
    this.#fileBars.clear();
  }
}
