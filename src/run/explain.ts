/**
 * `--explain PATH`: the run's first steps (resolve, select, list) for each topic, then which rule
 * of the filters keeps or drops PATH in each component. Reads nothing on disk, changes nothing.
 */
import { compileFilter } from "../filtering/compile.js";
import { explainPath } from "../filtering/explain.js";
import { listFiles } from "./list-files.js";
import { resolveTopic } from "./resolve-topic.js";
import { selectComponents } from "./select-components.js";
import type { RunContext } from "./types.js";

export interface Explanation {
  /** `<topic>/<type> <component name>`. */
  readonly heading: string;
  /** explainPath's text, line by line (the paths in it passed the files list's checks). */
  readonly lines: readonly string[];
}

export async function explainRun(path: string, context: RunContext): Promise<Explanation[]> {
  const explanations: Explanation[] = [];
  for (const request of context.settings.topics) {
    const topic = await resolveTopic(request, context);
    for (const target of await selectComponents(topic, context)) {
      const { component } = target;
      const listed = await listFiles(target, topic, context);
      const filter = compileFilter(request.filter, component.type);
      const text = explainPath(path, listed, filter, component.name);
      explanations.push({
        heading: `${topic.topic.name}/${component.type} ${component.name}:`,
        lines: text.split("\n"),
      });
    }
  }
  return explanations;
}
