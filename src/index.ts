/**
 * The public API of dci-mirror (the package entry point, `dist/index.js`). Everything a script
 * needs: request signing and verification, the typed DCI client, the errors, and the sandbox.
 */

export {
  type ComponentFilter,
  DciClient,
  type DciClientOptions,
  type FileUrlOptions,
  type ListParams,
} from "./api/client.js";
export type { HttpRetryEvent, HttpWarning } from "./api/http.js";
export { type CaFileInput, caFileSources } from "./config/ca-files.js";
export type { LibraryTopicRequest as MirrorTopicRequest } from "./config/library-settings.js";
export { readCaFiles } from "./config/read-ca-files.js";
export {
  DEFAULTS,
  type DeleteLimit,
  type RunSettings,
  type TopicRequest,
} from "./config/run-settings.js";
export {
  checkClientId,
  type DciCredentials,
  normalizeClientId,
  resolveCredentials,
} from "./credentials/credentials.js";
export { parseDcirc } from "./credentials/dcirc.js";
export { readDcircFile } from "./credentials/read-dcirc.js";
export {
  ApiShapeError,
  AuthError,
  CertificateError,
  ConflictError,
  EXIT_CODES,
  type ExitCode,
  ImagesNotCopiedError,
  IntegrityError,
  InterruptedError,
  isMirrorError,
  LocalIOError,
  LockedError,
  MirrorError,
  NetworkError,
  NotFoundError,
  PruneLimitError,
  UnsafePathError,
  UsageError,
} from "./errors.js";
export type {
  LockOwnerInfo,
  MirrorEvent,
  MirrorEventListener,
  PlanCounts,
} from "./events.js";
export {
  compileFilter,
  DEFAULT_FILTER_SPEC,
  type FileFilter,
  type FilterDecision,
} from "./filtering/compile.js";
export type { RetryPolicy } from "./http/backoff.js";
export { DEFAULT_RETRY_POLICY } from "./http/backoff.js";
export { proxyFromEnv } from "./http/proxy.js";
export type { CaFile, CaFileSource } from "./http/trust.js";
export type * from "./model.js";
export { type MirrorOptions, mirror, type RunHooks, runMirror } from "./run/mirror.js";
export type {
  ComponentSummary,
  MirrorSummary,
  StepFailure,
  TopicFailure,
  TopicSummary,
} from "./run/types.js";
export type { FaultRule } from "./sandbox/faults/fault-types.js";
export {
  type Sandbox,
  type SandboxOptions,
  type SandboxTls,
  startSandbox,
} from "./sandbox/server.js";
export {
  type CertificateRequest,
  type GeneratedCertificates,
  generateCertificates,
} from "./sandbox/tls/certificates.js";
export type { SandboxTraffic, ServerTraffic } from "./sandbox/traffic/counters.js";
export type { RequestLogEntry } from "./sandbox/traffic/request-log.js";
export { AWS4_ALGORITHM, DCI2_ALGORITHM, type SigningAlgorithm } from "./signing/canonical.js";
export { type SignedHeaders, type SignRequestInput, signRequestAt } from "./signing/sign.js";
export { type SignRequestOptions, signRequest } from "./signing/sign-request.js";
export {
  SIGNATURE_WINDOW_MS,
  type VerifyIdentity,
  type VerifyRequestInput,
  type VerifyResult,
  verifyRequest,
} from "./signing/verify.js";
export { VERSION } from "./version.js";
