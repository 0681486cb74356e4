/** The public face of this capability: what stacks, other capabilities and tests use. Internals stay unexported here. */
export { RegionalWaf, type RegionalWafProps } from './regional-waf';
