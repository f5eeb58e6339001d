// The build Containerfile: rendering from containerfile.tmpl, validation, and the build-context contract.

export {
  CONTEXT_MOUNT,
  ContextPaths,
  type ContextSteps,
  contextStepsFor,
  isRootOwner,
} from "./context-layout.ts";
export { DEFAULT_KERNEL_PACKAGES, SUPPORTED_EXTENSIONS } from "./os-packages.ts";
export {
  type ContainerfileArch,
  type ContainerfileInputs,
  ContainerfileRenderError,
  containerfileArchFor,
  type RenderErrorCode,
  renderContainerfile,
  selectUserContainerfile,
  type UserContainerfile,
} from "./render.ts";
export {
  type ContainerfileIssue,
  type ContainerfileIssueCode,
  formatContainerfileIssues,
  KNOWN_INSTRUCTIONS,
  validateContainerfile,
} from "./validate.ts";
