import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The shape of the code a reader relies on: one meaning per exported name, and barrels that name their public face.
 * Both scan the sources, so they cover files added after this test was written.
 */
const ROOT = join(__dirname, '..', '..');
const SOURCE_FOLDERS = ['constructs', 'environments', 'stacks', 'scripts'];

function sources(folder: string, found: string[] = []): string[] {
  for (const entry of readdirSync(folder)) {
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) sources(path, found);
    else if (path.endsWith('.ts')) found.push(path);
  }
  return found;
}

const FILES = SOURCE_FOLDERS.flatMap((folder) => sources(join(ROOT, folder))).map((path) => ({
  path: relative(ROOT, path),
  text: readFileSync(path, 'utf8'),
}));

/** Names declared with `export const|function|class|interface|type|enum` (not re-exports). */
function declaredExports(text: string): string[] {
  const declaration =
    /^export\s+(?:declare\s+)?(?:abstract\s+)?(?:const|let|function\*?|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/gm;
  return [...text.matchAll(declaration)].map((match) => match[1]!);
}

/** Every command's entry point is `main(argv, io)`, by convention: the one name with one meaning in many files. */
const ENTRY_POINT = 'main';

describe('code shape', () => {
  it('declares every exported name in one place only, so one name has one meaning', () => {
    const places = new Map<string, string[]>();
    for (const file of FILES) {
      for (const name of declaredExports(file.text))
        places.set(name, [...(places.get(name) ?? []), file.path]);
    }
    const twice = [...places]
      .filter(([name, paths]) => new Set(paths).size > 1 && name !== ENTRY_POINT)
      .map(([name, paths]) => `${name}: ${paths}`);
    expect(twice).toEqual([]);
  });

  it('finds the exported declarations it checks (the scan reads real sources)', () => {
    const names = FILES.flatMap((file) => declaredExports(file.text));
    expect(names).toContain('AiGateway');
    expect(names).toContain('POLICY_RULES');
    expect(names.length).toBeGreaterThan(300);
  });

  it('has barrels that name what they export: no `export *`', () => {
    const wildcard = FILES.filter((file) => /^export \* from/m.test(file.text)).map((file) => file.path);
    expect(wildcard).toEqual([]);
  });
});
