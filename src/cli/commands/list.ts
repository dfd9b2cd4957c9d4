/**
 * Read-only commands: `identity`, `topics`, `components TOPIC`.
 */
import type { Component, Topic } from "../../model.js";
import type { Connection } from "../connect.js";
import { formatTable } from "../output.js";
import {
  type CliEnvironment,
  type CommandContext,
  commandContext,
  defineCommand,
} from "./context.js";

async function withConnection<T>(
  context: CommandContext,
  run: (connection: Connection) => Promise<T>,
): Promise<T> {
  const { output } = context;
  // Loaded when a command connects: the client pulls in undici, which `--help` should not pay for.
  const { connectionSettings } = await import("./connection.js");
  const settings = await connectionSettings(context);
  const { connect } = await import("../connect.js");
  const connection = await connect(settings, {
    onWarning: (warning) => output.warn(warning.code, warning.message),
    onRetry: (event) =>
      output.debug(
        `retrying ${event.url} in ${event.delayMs} ms (attempt ${event.attempt}: ${event.reason})`,
      ),
  });
  try {
    return await run(connection);
  } finally {
    await connection.close();
  }
}

/** `dci-mirror identity`: who the credentials are, a quick check of credentials and clock. */
async function showIdentity(context: CommandContext): Promise<void> {
  await withConnection(context, async ({ client, source }) => {
    const identity = await client.identity(context.signal);
    if (context.output.json) {
      context.output.document({ schema: "dci-mirror/identity/1", identity, source });
      return;
    }
    const teams = identity.teams.map((team) => `${team.name} (${team.state ?? "unknown state"})`);
    context.output.result(`${client.credentials.clientId} (credentials from ${source})`);
    context.output.result(`teams: ${teams.join(", ") || "none"}`);
  });
}

function topicRow(topic: Topic): string[] {
  return [topic.name, topic.id, topic.componentTypes.join(",") || "-", topic.state];
}

/** `dci-mirror topics`: every topic these credentials can see. */
async function listTopics(context: CommandContext): Promise<void> {
  await withConnection(context, async ({ client }) => {
    const topics: Topic[] = [];
    for await (const page of client.topicPages({ sort: "name" }, context.signal))
      topics.push(...page.items);
    if (context.output.json) {
      context.output.document({ schema: "dci-mirror/topics/1", topics });
      return;
    }
    if (topics.length === 0) {
      context.output.info("These credentials see no topic: ask your Red Hat contact for access.");
      return;
    }
    for (const line of formatTable([
      ["NAME", "ID", "COMPONENT TYPES", "STATE"],
      ...topics.map(topicRow),
    ]))
      context.output.result(line);
  });
}

interface ComponentsFlags {
  readonly topic: string;
  readonly type?: string | undefined;
  readonly tag?: string | undefined;
  readonly latest?: boolean | undefined;
}

function componentRow(component: Component): string[] {
  return [
    component.name,
    component.type,
    component.tags.join(",") || "-",
    component.createdAt,
    component.id,
  ];
}

/** `dci-mirror components TOPIC`: a topic's components, newest first, or the latest per type. */
async function listComponents(context: CommandContext, flags: ComponentsFlags): Promise<void> {
  await withConnection(context, async ({ client }) => {
    const topic = await client.topicByName(flags.topic, context.signal);
    const components: Component[] = [];
    if (flags.latest === true) {
      const filters =
        flags.type === undefined
          ? topic.componentTypes.map((type) => ({ type, tag: flags.tag }))
          : [{ type: flags.type, tag: flags.tag }];
      components.push(...(await client.latestComponents(topic, filters, context.signal)));
    } else {
      const clauses = ["state:active"];
      if (flags.type !== undefined) clauses.push(`type:${flags.type.toLowerCase()}`);
      if (flags.tag !== undefined) clauses.push(`tags:${flags.tag}`);
      const params = { sort: "-created_at", where: clauses.join(",") };
      for await (const page of client.componentPages(topic.id, params, context.signal))
        components.push(...page.items);
    }
    if (context.output.json) {
      context.output.document({ schema: "dci-mirror/components/1", topic: topic.name, components });
      return;
    }
    if (components.length === 0) {
      context.output.info(`Topic ${topic.name} has no active component matching these filters.`);
      return;
    }
    for (const line of formatTable([
      ["NAME", "TYPE", "TAGS", "CREATED", "ID"],
      ...components.map(componentRow),
    ]))
      context.output.result(line);
  });
}

export const identityCommand = (environment: CliEnvironment) =>
  defineCommand({
    command: "identity",
    describe: "show who the credentials belong to (checks credentials and clock)",
    builder: (command) => command.example("$0 identity --rc ~/dcirc.sh", "check a dcirc.sh file"),
    handler: (flags) => showIdentity(commandContext(environment, flags)),
  });

export const topicsCommand = (environment: CliEnvironment) =>
  defineCommand({
    command: "topics",
    describe: "list the topics these credentials can see",
    builder: (command) => command.example("$0 topics --sandbox", "list the sandbox's topics"),
    handler: (flags) => listTopics(commandContext(environment, flags)),
  });

export const componentsCommand = (environment: CliEnvironment) =>
  defineCommand({
    command: "components <topic>",
    describe: "list a topic's active components, newest first",
    builder: (command) =>
      command
        .positional("topic", {
          type: "string",
          demandOption: true,
          describe: "topic name, e.g. RHEL-9.4",
        })
        .option("type", { type: "string", describe: "only this component type, e.g. compose" })
        .option("tag", { type: "string", describe: "only components with this tag, e.g. nightly" })
        .option("latest", { type: "boolean", default: false, describe: "only the latest per type" })
        .example(
          "$0 components RHEL-9.4 --type compose --tag milestone --latest",
          "latest milestone compose",
        ),
    handler: (flags) =>
      listComponents(commandContext(environment, flags), {
        topic: flags.topic,
        type: flags.type,
        tag: flags.tag,
        latest: flags.latest,
      }),
  });
