/**
 * The public API of dci-mirror (the package entry point, `dist/index.js`). Everything a script
 * needs: request signing and verification, the typed DCI client, the errors, and the sandbox.
 */
export type { RetryPolicy } from "./api/backoff.js";
export { DEFAULT_RETRY_POLICY } from "./api/backoff.js";
export { AWS4_ALGORITHM, DCI2_ALGORITHM, type SigningAlgorithm } from "./api/canonical.js";
export {
  type ComponentFilter,
  DciClient,
  type DciClientOptions,
  type FileUrlOptions,
  type ListParams,
  type ProxySettings,
  proxyFromEnv,
} from "./api/client.js";
export type { HttpRetryEvent, HttpWarning } from "./api/http.js";
export { type SignedHeaders, type SignRequestInput, signRequestAt } from "./api/sign.js";
export { type SignRequestOptions, signRequest } from "./api/sign-request.js";
export {
  SIGNATURE_WINDOW_MS,
  type VerifyIdentity,
  type VerifyRequestInput,
  type VerifyResult,
  verifyRequest,
} from "./api/verify.js";
export {
  checkClientId,
  type DciCredentials,
  normalizeClientId,
  resolveCredentials,
} from "./config/credentials.js";
export { parseDcirc } from "./config/dcirc.js";
export { readDcircFile } from "./config/read-dcirc.js";
export {
  ApiShapeError,
  AuthError,
  ConflictError,
  EXIT_CODES,
  type ExitCode,
  IntegrityError,
  InterruptedError,
  isMirrorError,
  LocalIOError,
  LockedError,
  MirrorError,
  NetworkError,
  NotFoundError,
  UsageError,
} from "./errors.js";
export {
  compileFilter,
  DEFAULT_FILTER_SPEC,
  type FileFilter,
  type FilterDecision,
} from "./filtering/compile.js";
export {
  type MirrorOptions,
  type MirrorSummary,
  type MirrorTopicRequest,
  mirror,
  type TopicFailure,
  type TopicSummary,
} from "./mirror.js";
export type { ComponentSummary } from "./mirror-component.js";
export type * from "./model.js";
export { UnsafePathError } from "./planning/safe-path.js";
export type { FaultRule } from "./sandbox/faults/fault-types.js";
export { type Sandbox, type SandboxOptions, startSandbox } from "./sandbox/server.js";
export type { RequestLogEntry } from "./sandbox/traffic/request-log.js";
export type {
  LockOwnerInfo,
  MirrorEvent,
  MirrorEventListener,
  PlanCounts,
} from "./transfer/events.js";
export { VERSION } from "./version.js";
