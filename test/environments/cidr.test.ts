import { describe, expect, it } from 'vitest';
import {
  contains,
  firstFreeBlock,
  formatCidr,
  isCanonical,
  isPrivate,
  overlaps,
  parseCidr,
} from '../../environments/cidr';

const block = (text: string) => parseCidr(text)!;

describe('CIDR arithmetic', () => {
  it('parses and formats round trip', () => {
    for (const text of [
      '10.0.0.0/8',
      '10.20.4.0/22',
      '192.168.1.128/25',
      '0.0.0.0/0',
      '255.255.255.255/32',
    ]) {
      expect(formatCidr(block(text))).toBe(text);
    }
  });

  it.each(['10.0.0.0', '10.0.0/24', '256.0.0.0/8', '10.0.0.0/33', '10.0.0.0/-1', ' 10.0.0.0/8', 'a.b.c.d/8'])(
    'rejects %j',
    (text) => expect(parseCidr(text)).toBeUndefined(),
  );

  it('knows a network address from an address with host bits', () => {
    expect(isCanonical(block('10.20.0.0/22'))).toBe(true);
    expect(isCanonical(block('10.20.1.0/22'))).toBe(false);
  });

  it('tells containment from overlap', () => {
    expect(contains(block('10.20.0.0/22'), block('10.20.3.0/24'))).toBe(true);
    expect(contains(block('10.20.0.0/22'), block('10.20.4.0/24'))).toBe(false);
    expect(contains(block('10.20.0.0/22'), block('10.20.0.0/21'))).toBe(false);
    expect(overlaps(block('10.20.0.0/22'), block('10.20.3.0/24'))).toBe(true);
    expect(overlaps(block('10.20.0.0/22'), block('10.20.4.0/22'))).toBe(false);
    expect(overlaps(block('10.0.0.0/8'), block('10.255.255.0/24'))).toBe(true);
  });

  it('accepts RFC 1918 and RFC 6598 ranges as private, nothing else', () => {
    expect(
      ['10.1.0.0/16', '172.31.0.0/16', '192.168.0.0/24', '100.64.0.0/16'].map((t) => isPrivate(block(t))),
    ).toEqual([true, true, true, true]);
    expect(['172.32.0.0/16', '8.8.8.0/24', '10.0.0.0/7'].map((t) => isPrivate(block(t)))).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('carves the first free aligned block, skipping taken ones', () => {
    const space = block('10.20.0.0/22');
    expect(formatCidr(firstFreeBlock(space, 24, [])!)).toBe('10.20.0.0/24');
    expect(formatCidr(firstFreeBlock(space, 24, [block('10.20.0.0/25')])!)).toBe('10.20.1.0/24');
    expect(formatCidr(firstFreeBlock(space, 26, [block('10.20.0.0/24'), block('10.20.1.0/24')])!)).toBe(
      '10.20.2.0/26',
    );
    expect(firstFreeBlock(space, 23, [block('10.20.1.0/24'), block('10.20.2.0/24')])).toBeUndefined();
    expect(firstFreeBlock(space, 21, [])).toBeUndefined();
  });

  it('stays fast in a large space that is nearly full', () => {
    const space = block('10.0.0.0/8');
    const taken = [block('10.0.0.0/9'), block('10.128.0.0/10'), block('10.192.0.0/11')];
    expect(formatCidr(firstFreeBlock(space, 29, taken)!)).toBe('10.224.0.0/29');
  });
});
