// One sandbox for a test file: started before its tests, closed after them, with the environment
// a CLI child needs to reach it. The start, the close and the fault reset each test file used to
// write out for itself.
import { afterAll, beforeAll, beforeEach } from "vitest";
import { type Sandbox, type SandboxOptions, startSandbox } from "../../src/sandbox/server.js";
import { sandboxEnv } from "./run-cli.js";

export interface SandboxUse {
  /** The running sandbox (from the file's beforeAll on). */
  readonly sandbox: Sandbox;
  /** A clean environment whose DCI_* variables point at it. */
  readonly env: Record<string, string>;
}

export interface UseSandboxOptions {
  /** startSandbox's options; `{ size: "tiny" }` when absent. */
  readonly start?: SandboxOptions;
  /** Adds what the file's tests need (components, topics, faults), once it runs. */
  readonly setup?: (sandbox: Sandbox) => void;
  /** Clears the faults before each test, so one test's faults never reach the next. */
  readonly clearFaults?: boolean;
}

export function useSandbox(options: UseSandboxOptions = {}): SandboxUse {
  let running: { sandbox: Sandbox; env: Record<string, string> } | undefined;
  beforeAll(async () => {
    const sandbox = await startSandbox(options.start ?? { size: "tiny" });
    running = { sandbox, env: sandboxEnv(sandbox) };
    options.setup?.(sandbox);
  });
  afterAll(async () => {
    await running?.sandbox.close();
  });
  if (options.clearFaults === true) beforeEach(() => running?.sandbox.setFaults([]));
  const started = () => {
    if (running === undefined) throw new Error("the sandbox is used before its beforeAll ran");
    return running;
  };
  return {
    get sandbox() {
      return started().sandbox;
    },
    get env() {
      return started().env;
    },
  };
}
