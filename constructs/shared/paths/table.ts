/** The data-path table, as `npm run paths` prints it and the audit shows it: one row per path. */
import type { DataPathReport, HopKind, PathResult } from './check';

export const PATH_TABLE_HEADER = [
  'caller',
  'callee',
  'host',
  'resolves',
  'route',
  'NSG',
  'identity',
  'role',
  'verdict',
] as const;

function hopCell(path: PathResult, hop: HopKind): string {
  const result = path.hops.find((h) => h.hop === hop);
  if (!result) return '';
  if (result.status === 'fail') return `BROKEN: ${result.detail ?? result.summary}`;
  if (result.status === 'notApplicable') return `n/a (${result.summary})`;
  return result.summary;
}

/** The rows of the table, in the report's order. */
export function pathRows(report: DataPathReport): string[][] {
  return report.paths.map((path) => [
    path.caller,
    path.callee,
    path.host,
    hopCell(path, 'dns'),
    hopCell(path, 'route'),
    hopCell(path, 'nsg'),
    path.identity,
    hopCell(path, 'auth'),
    path.verdict,
  ]);
}

/** The hops that pass only because config declares them provided outside the stack, once per declaration. */
export function assumptionRows(report: DataPathReport): string[][] {
  const rows = new Map<string, string[]>();
  for (const path of report.paths) {
    for (const hop of path.hops) {
      if (hop.status !== 'assumed') continue;
      const key = `${hop.origin}`;
      const row = rows.get(key) ?? [hop.hop, hop.origin ?? '', hop.reason ?? '', '0'];
      row[3] = String(Number(row[3]) + 1);
      rows.set(key, row);
    }
  }
  return [...rows.values()].sort((a, b) => a[1]!.localeCompare(b[1]!));
}
