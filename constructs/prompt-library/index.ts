/** The public face of this capability: what stacks, other capabilities and tests use. Internals stay unexported here. */
export {
  PromptLibrary,
  promptLibraryContainer,
  type PromptLibraryContainerOptions,
  type PromptLibraryProps,
} from './prompt-library';
