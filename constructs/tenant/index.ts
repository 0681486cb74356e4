/** The public face of this capability: what stacks, other capabilities and tests use. Internals stay unexported here. */
export { Tenant, type TenantFoundryProjectProps, type TenantProps } from './tenant';
