import { describe, expect, it } from "vitest";
import { ProgressReporter } from "../../src/report/progress.js";

function reporterWritingTo(lines: string[]): ProgressReporter {
  return new ProgressReporter({
    isTty: false,
    quiet: false,
    showBar: false,
    write: (line) => lines.push(line),
    fail: () => undefined,
    now: () => 0,
  });
}

describe("ProgressReporter lines", () => {
  it("shows a server warning with control characters escaped, on one line", () => {
    const lines: string[] = [];
    reporterWritingTo(lines).handle({
      type: "warning",
      code: "X",
      message: "odd\r\u001b[2K\ndci-mirror: done\u009b",
    });
    expect(lines).toEqual(["warning: odd\\r\\x1b[2K\\ndci-mirror: done\\u009b"]);
  });

  it("shows a lock holder's host from the lock file escaped", () => {
    const lines: string[] = [];
    reporterWritingTo(lines).handle({
      type: "lock-wait",
      lockPath: "/m/RHEL-9.4/.dci-mirror.lock",
      owner: { pid: 42, host: "h\u001b]0;x\u0007", startedAt: "2026-01-01T00:00:00.000Z" },
    });
    expect(lines).toEqual([
      "waiting for /m/RHEL-9.4/.dci-mirror.lock: held by pid 42 on h\\x1b]0;x\\x07 since 2026-01-01T00:00:00.000Z",
    ]);
  });
});
