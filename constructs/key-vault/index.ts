/** The public face of this capability: what stacks, other capabilities and tests use. Internals stay unexported here. */
export { KeyVault, type KeyVaultProps } from './key-vault';
