/**
 * The typed progress events of a mirror run. Transfer and the orchestrator emit them; report/
 * draws them. Counting is kept apart from drawing (rclone's accounting/progress split).
 */
import type { LockOwner, Outcome } from "./model.js";

/** Who holds the topic lock, as its lock file says. */
export type LockOwnerInfo = LockOwner;

export interface PlanCounts {
  readonly totalFiles: number;
  readonly totalBytes: number;
  readonly fetchFiles: number;
  readonly resumeFiles: number;
  readonly checkFiles: number;
  readonly skipFiles: number;
  readonly pruneEntries: number;
  readonly links: number;
  /** Bytes still to download (fetches plus the missing part of resumes). */
  readonly bytesToFetch: number;
  /** Bytes of the present files to hash before deciding (`check` actions). */
  readonly bytesToCheck: number;
}

export type MirrorEvent =
  | { readonly type: "topic"; readonly topic: string; readonly folder: string }
  | { readonly type: "lock-wait"; readonly lockPath: string; readonly owner: LockOwnerInfo }
  | {
      readonly type: "component";
      readonly topic: string;
      readonly componentId: string;
      readonly componentName: string;
      readonly componentType: string;
      readonly componentVersion: string | null;
      readonly folder: string;
    }
  | { readonly type: "plan"; readonly componentName: string; readonly counts: PlanCounts }
  | {
      readonly type: "file-start";
      readonly path: string;
      readonly sizeBytes: number;
      readonly offsetBytes: number;
    }
  | { readonly type: "file-progress"; readonly path: string; readonly bytes: number }
  /** A present file is hashed (then `file-done` verified, or `file-start` when it differs). */
  | { readonly type: "check-start"; readonly path: string; readonly sizeBytes: number }
  | { readonly type: "check-progress"; readonly path: string; readonly bytes: number }
  | {
      readonly type: "file-retry";
      readonly path: string;
      readonly attempt: number;
      readonly delayMs: number;
      readonly reason: string;
    }
  | { readonly type: "file-done"; readonly outcome: Outcome }
  | { readonly type: "prune"; readonly path: string }
  | {
      readonly type: "images";
      readonly componentName: string;
      readonly registry: string;
      readonly imageCount: number;
    }
  | { readonly type: "skopeo"; readonly line: string }
  | { readonly type: "warning"; readonly code: string; readonly message: string };

export type MirrorEventListener = (event: MirrorEvent) => void;
