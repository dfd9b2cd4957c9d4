/**
 * Maps each authenticated route of the sandbox API to its handler; the server has already matched
 * the route and verified the signature.
 */
import type { ApiContext } from "./api-context.js";
import {
  getComponent,
  getIdentity,
  getTopic,
  listTopicComponents,
  listTopics,
} from "./api-handlers.js";
import type { ApiResponse } from "./api-response.js";
import type { ApiRoute } from "./api-routes.js";
import {
  type GatewayOptions,
  serveComponentFile,
  serveLegacyComponentFile,
} from "./files-gateway.js";
import { createJob, deleteJob, getJob } from "./jobs.js";

export type AuthenticatedRoute = Exclude<ApiRoute, { readonly name: "health" }>;

/** Runs the handler of an authenticated route. */
export function dispatch(
  route: AuthenticatedRoute,
  context: ApiContext,
  gateway: GatewayOptions,
): ApiResponse {
  const method = context.request.method;
  switch (route.name) {
    case "identity":
      return getIdentity(context);
    case "topics":
      return listTopics(context);
    case "topic":
      return getTopic(context, route.topicId);
    case "topic-components":
      return listTopicComponents(context, route.topicId);
    case "component":
      return getComponent(context, route.componentId);
    case "component-file":
      return serveComponentFile(context, route, gateway);
    case "component-file-legacy":
      return serveLegacyComponentFile(context, route.componentId);
    case "jobs":
      return createJob(context);
    case "job":
      return method === "DELETE" ? deleteJob(context, route.jobId) : getJob(context, route.jobId);
  }
}
