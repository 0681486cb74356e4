import { createHash } from 'node:crypto';

/** RFC 4122's URL namespace: names under it are URL-like strings, as ours are. */
export const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/**
 * A name-based (version 5, SHA-1) UUID, RFC 4122 §4.3: the same namespace and name always give the same GUID, so a
 * resource whose name must be a GUID (a workbook) keeps its name, and its Terraform address, across synths. Never
 * random: a random name would replace the resource on every plan.
 */
export function deterministicGuid(name: string, namespace: string = URL_NAMESPACE): string {
  const namespaceBytes = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (namespaceBytes.length !== 16) throw new Error(`namespace "${namespace}" is not a UUID`);
  const hash = createHash('sha1').update(namespaceBytes).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
