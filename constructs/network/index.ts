/** The public face of this capability: what stacks, other capabilities and tests use. Internals stay unexported here. */
export { ExistingNetwork, type ExistingNetworkProps } from './existing-network';
export { Network, type NetworkProps, type VirtualNetworkProps } from './network';
export { gatewaySubnetRules, type SecurityRule } from './security-rules';
