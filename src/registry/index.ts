// The registry client's public surface.

export type {
  CallOptions,
  DeleteResult,
  FetchedManifest,
  ImageInspection,
  PlatformOptions,
  ResolvedImage,
} from "./client.ts";
export { RegistryClient } from "./client.ts";
export type { Credentials, DockerConfig } from "./credentials.ts";
export {
  CredentialsError,
  credentialsFor,
  dockerConfigJsonFor,
  dockercfgToDockerConfigJson,
  parseDockerConfig,
} from "./credentials.ts";
export { isRegistryError, RegistryError, type RegistryErrorCode } from "./errors.ts";
export type { Descriptor, ImageConfig, ImageIndex, ImageManifest, Platform } from "./manifest.ts";
export { hostPlatform } from "./manifest.ts";
export { canonicalDockerConfigJson, type PullSecretLike } from "./pull-secret.ts";
export { type PullOptions, type PullResult, pullAndUnpack } from "./pull-unpack.ts";
export { formatImageReference, type ImageReference, parseImageReference, withDigest } from "./reference.ts";
