/**
 * IPv4 CIDR arithmetic for the address plan: parse, contain, overlap, and carve free blocks out of an address
 * space. Pure functions; the schema and the stack share them through `network-plan.ts`.
 */

/** An IPv4 block: its first address as an unsigned 32-bit number and its prefix length. */
export interface Ipv4Block {
  readonly start: number;
  readonly prefixLength: number;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * The syntax {@link parseCidr} accepts, as one regular expression for the JSON Schema (octets 0–255 and prefixes
 * 0–32, leading zeros allowed as parseCidr allows them). Host bits and the address plan remain synth's to check.
 */
const OCTET = '(?:[01]?\\d?\\d|2[0-4]\\d|25[0-5])';
export const CIDR_PATTERN = `^(?:${OCTET}\\.){3}${OCTET}/(?:[0-2]?\\d|3[0-2])$`;

/** Number of addresses in a block of `prefixLength`. */
export function blockSize(prefixLength: number): number {
  return 2 ** (32 - prefixLength);
}

/** Parses `a.b.c.d/n`; undefined when it is not an IPv4 CIDR. Host bits may be set: see {@link isCanonical}. */
export function parseCidr(text: string): Ipv4Block | undefined {
  const match = CIDR.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefixLength = Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefixLength > 32) return undefined;
  const start = octets.reduce((value, octet) => value * 256 + octet, 0);
  return { start, prefixLength };
}

/** True when the block's address is its network address (no host bits set), as Azure requires. */
export function isCanonical(block: Ipv4Block): boolean {
  return block.start % blockSize(block.prefixLength) === 0;
}

/** The block with host bits cleared. */
export function canonical(block: Ipv4Block): Ipv4Block {
  const size = blockSize(block.prefixLength);
  return { start: Math.floor(block.start / size) * size, prefixLength: block.prefixLength };
}

export function formatCidr(block: Ipv4Block): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(block.start / 2 ** shift) % 256);
  return `${octets.join('.')}/${block.prefixLength}`;
}

function end(block: Ipv4Block): number {
  return block.start + blockSize(block.prefixLength);
}

/** True when `inner` lies entirely inside `outer`. */
export function contains(outer: Ipv4Block, inner: Ipv4Block): boolean {
  return inner.start >= outer.start && end(inner) <= end(outer);
}

export function overlaps(a: Ipv4Block, b: Ipv4Block): boolean {
  return a.start < end(b) && b.start < end(a);
}

/** The private ranges a VNet may use: RFC 1918 and the shared address space of RFC 6598. */
export const PRIVATE_RANGES: readonly Ipv4Block[] = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
].map((text) => parseCidr(text)!);

export function isPrivate(block: Ipv4Block): boolean {
  return PRIVATE_RANGES.some((range) => contains(range, block));
}

/**
 * The first aligned block of `prefixLength` inside `space` that overlaps none of `taken`; undefined when none is
 * free. First fit in address order, so the result only depends on its inputs.
 */
export function firstFreeBlock(
  space: Ipv4Block,
  prefixLength: number,
  taken: readonly Ipv4Block[],
): Ipv4Block | undefined {
  if (prefixLength < space.prefixLength) return undefined;
  const size = blockSize(prefixLength);
  let start = space.start;
  while (start + size <= end(space)) {
    const candidate = { start, prefixLength };
    const blocking = taken.find((block) => overlaps(block, candidate));
    if (!blocking) return candidate;
    // Jump past the block in the way, to the next aligned start.
    start = Math.max(start + size, Math.ceil(end(blocking) / size) * size);
  }
  return undefined;
}
