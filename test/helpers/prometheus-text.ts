// A small reader of Prometheus' text exposition format, enough to check what --metrics-file
// writes: HELP and TYPE lines, samples with quoted, escaped label values. Throws on any line it
// does not understand, so a malformed file fails the test that reads it.

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface MetricsFile {
  readonly samples: readonly Sample[];
  /** Metric name → its TYPE. */
  readonly types: ReadonlyMap<string, string>;
  /** Metric name → its HELP text. */
  readonly helps: ReadonlyMap<string, string>;
}

const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)$`);
const COMMENT = new RegExp(`^# (HELP|TYPE) (${NAME}) (.*)$`);

function unescapeLabel(text: string): string {
  return text.replace(/\\(.)/g, (_, character: string) => (character === "n" ? "\n" : character));
}

/** `a="x",b="y\"z"` → { a: "x", b: 'y"z' }. */
function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const pair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/y;
  while (pair.lastIndex < text.length) {
    const match = pair.exec(text);
    if (match === null) throw new Error(`bad labels: ${text}`);
    labels[match[1] ?? ""] = unescapeLabel(match[2] ?? "");
  }
  return labels;
}

export function parsePrometheusText(text: string): MetricsFile {
  if (!text.endsWith("\n")) throw new Error("the text must end with a line feed");
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const helps = new Map<string, string>();
  for (const line of text.slice(0, -1).split("\n")) {
    const comment = COMMENT.exec(line);
    if (comment !== null) {
      (comment[1] === "TYPE" ? types : helps).set(comment[2] ?? "", comment[3] ?? "");
      continue;
    }
    const sample = SAMPLE.exec(line);
    if (sample === null) throw new Error(`not a metrics line: ${JSON.stringify(line)}`);
    const value = Number(sample[3]);
    if (Number.isNaN(value)) throw new Error(`not a number: ${line}`);
    samples.push({ name: sample[1] ?? "", labels: parseLabels(sample[2] ?? ""), value });
  }
  return { samples, types, helps };
}

/** The value of the one sample of `name` whose labels include `labels`; throws if not exactly one. */
export function sampleValue(
  file: MetricsFile,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number {
  const found = file.samples.filter(
    (sample) =>
      sample.name === name &&
      Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
  if (found.length !== 1 || found[0] === undefined)
    throw new Error(`${found.length} samples of ${name} ${JSON.stringify(labels)}`);
  return found[0].value;
}
