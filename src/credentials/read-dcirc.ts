import { readFile } from "node:fs/promises";
import { LocalIOError, UsageError } from "../errors.js";
import { parseDcirc } from "./dcirc.js";

/**
 * Reads a dcirc.sh (or its YAML flavour) as data, never executing it. Throws UsageError when the
 * file holds no DCI variable, LocalIOError when it cannot be read.
 */
export async function readDcircFile(
  path: string,
  signal?: AbortSignal,
): Promise<Readonly<Record<string, string>>> {
  let text: string;
  try {
    text = await readFile(
      path,
      signal === undefined ? { encoding: "utf8" } : { encoding: "utf8", signal },
    );
  } catch (error) {
    throw new LocalIOError(`Cannot read the credentials file ${path}.`, {
      code: "CONFIG_RC_UNREADABLE",
      hint: "Check the path given to --rc and that this user may read it.",
      cause: error,
    });
  }
  const variables = parseDcirc(text);
  if (!Object.keys(variables).some((name) => name.startsWith("DCI_"))) {
    throw new UsageError(`${path} sets no DCI_* variable.`, {
      code: "CONFIG_RC_EMPTY",
      hint: "Download the remoteci's dcirc.sh from the DCI web UI (Remotecis page) and pass it to --rc.",
    });
  }
  return variables;
}
