/**
 * Draws a run's progress from its events: a cli-progress bar on stderr when stderr is a TTY, sparse
 * plain lines otherwise (cron, systemd, pipes: no ANSI codes, a progress line at most every 30 s).
 */
import { SingleBar } from "cli-progress";
import type { Outcome } from "../model.js";
import type { MirrorEvent } from "../transfer/events.js";
import { formatBytes } from "./format-bytes.js";

export interface ProgressOptions {
  readonly isTty: boolean;
  /** Draw nothing but failures (`--quiet`, `--json`, `--no-progress` on a TTY still prints lines). */
  readonly quiet: boolean;
  readonly showBar: boolean;
  readonly write: (line: string) => void;
  /** A file failed: always shown, above the bar when there is one. */
  readonly fail: (failure: Extract<Outcome, { kind: "failed" }>) => void;
  readonly now: () => number;
  readonly plainIntervalMs?: number;
}

/** Turns MirrorEvents into output; call `stop()` before printing the summary. */
export class ProgressReporter {
  readonly #options: ProgressOptions;
  #bar: SingleBar | undefined;
  #totalBytes = 0;
  #doneBytes = 0;
  #totalFiles = 0;
  #doneFiles = 0;
  #lastPlainMs: number;
  #startedMs: number;

  constructor(options: ProgressOptions) {
    this.#options = options;
    this.#startedMs = options.now();
    this.#lastPlainMs = this.#startedMs;
  }

  #log(line: string): void {
    if (this.#bar !== undefined) {
      // Clear the bar line, print above it, and let the next update redraw it.
      process.stderr.write(`\r\u001b[2K${line}\n`);
      this.#bar.updateETA();
      return;
    }
    this.#options.write(line);
  }

  #fail(failure: Extract<Outcome, { kind: "failed" }>): void {
    if (this.#bar !== undefined) process.stderr.write("\r\u001b[2K");
    this.#options.fail(failure);
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
      case "plan":
        this.#onPlan(event);
        return;
      case "file-progress":
        this.#doneBytes += event.bytes;
        this.#bar?.update(this.#doneBytes, this.#payload());
        this.#maybePlainLine();
        return;
      case "file-done":
        if (event.outcome.kind === "failed") {
          this.#fail(event.outcome);
        } else {
          this.#doneFiles++;
        }
        this.#bar?.update(this.#doneBytes, this.#payload());
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
      this.#startBar();
  }

  #startBar(): void {
    if (this.#bar === undefined) {
      const format =
        " {bar} {percentage}% | {done}/{size} | {files} files | {speed} | ETA {eta_formatted}";
      this.#bar = new SingleBar(
        {
          format,
          stream: process.stderr,
          hideCursor: true,
          clearOnComplete: true,
          etaBuffer: 50,
          fps: 5,
        },
        { format, barCompleteChar: "#", barIncompleteChar: "-" },
      );
      this.#bar.start(this.#totalBytes, this.#doneBytes, this.#payload());
    } else {
      this.#bar.setTotal(this.#totalBytes);
    }
  }

  #payload(): Record<string, string> {
    const elapsedMs = Math.max(1, this.#options.now() - this.#startedMs);
    return {
      done: formatBytes(this.#doneBytes),
      size: formatBytes(this.#totalBytes),
      files: `${this.#doneFiles}/${this.#totalFiles}`,
      speed: `${formatBytes((this.#doneBytes / elapsedMs) * 1000)}/s`,
    };
  }

  #maybePlainLine(): void {
    if (this.#bar !== undefined || this.#options.quiet) return;
    const nowMs = this.#options.now();
    if (nowMs - this.#lastPlainMs < (this.#options.plainIntervalMs ?? 30_000)) return;
    this.#lastPlainMs = nowMs;
    const payload = this.#payload();
    this.#options.write(
      `progress: ${payload["done"]} of ${payload["size"]}, ${payload["files"]} files, ${payload["speed"]}`,
    );
  }

  stop(): void {
    this.#bar?.stop();
    this.#bar = undefined;
  }
}
