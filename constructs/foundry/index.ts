/** The public face of this capability: what stacks, other capabilities and tests use. Internals stay unexported here. */
export { Foundry, type FoundryProps } from './foundry';
export {
  CONNECTION_NAMES,
  type FoundryConnectionTargets,
  FoundryProject,
  type FoundryProjectIdentity,
  type FoundryProjectProps,
  type GatewayConnectionTarget,
  PROJECT_CONNECTION_TYPE,
} from './project';
