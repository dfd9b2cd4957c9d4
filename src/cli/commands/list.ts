/**
 * Read-only commands: `identity`, `topics`, `components TOPIC`.
 */
import type { Component, Topic } from "../../model.js";
import { type Connection, type ConnectionFlags, connect } from "../connect.js";
import { formatTable, type Output } from "../output.js";

export interface ListContext {
  readonly connection: ConnectionFlags;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly output: Output;
  readonly signal: AbortSignal;
}

async function withConnection<T>(
  context: ListContext,
  run: (connection: Connection) => Promise<T>,
): Promise<T> {
  const { output } = context;
  const connection = await connect(context.connection, context.env, {
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
export async function identityCommand(context: ListContext): Promise<void> {
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
export async function topicsCommand(context: ListContext): Promise<void> {
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

export interface ComponentsFlags {
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
export async function componentsCommand(
  context: ListContext,
  flags: ComponentsFlags,
): Promise<void> {
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
