import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Every file and directory under `root`: relative path → content, `<dir>` for a directory and `<link>` for a
 * symbolic link (never followed). Empty when `root` does not exist. For asserting that a directory did not change.
 */
export function tree(root: string): Record<string, string> {
  const result: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      const stat = lstatSync(path);
      const key = relative(root, path);
      if (stat.isSymbolicLink()) result[key] = '<link>';
      else if (stat.isDirectory()) {
        result[key] = '<dir>';
        walk(path);
      } else result[key] = readFileSync(path, 'utf8');
    }
  };
  if (existsSync(root)) walk(root);
  return result;
}
