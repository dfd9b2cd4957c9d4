/**
 * What every command module shares: the process environment it runs in, the context its handler
 * builds from the global flags, and the shape of a command module.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import type { GlobalFlags } from "../options/global.js";
import { createOutput, type Output } from "../output.js";

export interface CliEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal: AbortSignal;
  /** A command's verdict when it finished without throwing (a run with failed files). */
  readonly setExitCode: (code: number) => void;
}

/** Where the command line says the credentials come from. */
export interface ConnectionFlags {
  readonly rc: string | undefined;
  readonly dciCsUrl: string | undefined;
  /** `--ca-file FILE`. */
  readonly caFile: string | undefined;
  readonly sandbox: boolean;
}

export interface CommandContext extends CliEnvironment {
  readonly connection: ConnectionFlags;
  readonly output: Output;
}

export function commandContext(environment: CliEnvironment, flags: GlobalFlags): CommandContext {
  return {
    ...environment,
    connection: {
      rc: flags.rc,
      dciCsUrl: flags["dci-cs-url"],
      caFile: flags["ca-file"],
      sandbox: flags.sandbox,
    },
    output: createOutput(flags),
  };
}

/** A command module; its handler's flags are typed by its builder. */
export function defineCommand<U>(module: {
  readonly command: string | readonly string[];
  readonly describe: string;
  readonly builder: (command: Argv<GlobalFlags>) => Argv<U>;
  readonly handler: (flags: ArgumentsCamelCase<U>) => void | Promise<void>;
}): CommandModule<GlobalFlags, U> {
  return module;
}
