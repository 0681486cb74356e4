/**
 * The audit: reads cdktf.out, builds every report in memory, and only then replaces the output directory, so that a
 * failure writes nothing. The directory follows the rules of stacks/output-dir (absent, empty or the audit's own).
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { claimOutputDir, commitStaging, createStaging, discardStaging } from '../../../stacks/output-dir';
import { ScriptError } from '../cli';
import { architectureSvg } from './diagram';
import { indexHtml } from './html';
import { environmentMarkdown } from './markdown';
import { auditEnvironment, differences } from './model';
import { type AuditedStack, readAuditInput } from './read';

/** File name → content, for every file of the report. */
export function auditFiles(outdir: string): Map<string, string> {
  return auditReport(readAuditInput(outdir)).files;
}

/** The files of the report and what it leaves out, one sentence each. */
function auditReport(stacks: readonly AuditedStack[]): { files: Map<string, string>; skipped: string[] } {
  const staging = stacks.find((s) => s.policy.facts['stage'] === 'staging');
  const prod = stacks.find((s) => s.policy.facts['stage'] === 'prod');
  const diff = staging && prod ? differences(staging, prod) : undefined;
  const audits = stacks.map((stack) => ({ stack, audit: auditEnvironment(stack), svg: architectureSvg(stack) }));
  const files = new Map<string, string>();
  for (const { stack, audit } of audits) {
    files.set(`${stack.name}.md`, environmentMarkdown(audit, diff && (stack === staging || stack === prod) ? [diff] : []));
  }
  files.set('index.html', indexHtml(audits, diff));
  // Platform stacks of prod stage whose report has no comparison with staging (tenant shards never have one).
  const skipped = stacks
    .filter((s) => s.policy.facts['stage'] === 'prod' && s.policy.facts['name'] === s.name && s !== prod)
    .map((s) => `${s.name}.md has no comparison with staging: the audit compares ${staging?.name ?? 'staging'} with ${prod!.name} only`);
  if (prod && !staging) {
    skipped.unshift(`${prod.name}.md has no comparison with staging: the output holds no environment of stage staging (npm run synth writes them all)`);
  }
  if (staging && !prod) {
    skipped.unshift(`${staging.name}.md has no comparison with prod: the output holds no environment of stage prod (npm run synth writes them all)`);
  }
  return { files, skipped };
}

/** The files written and what the audit left out or removed, one sentence each, for the caller to print. */
export interface AuditWritten {
  readonly files: readonly string[];
  readonly notes: readonly string[];
}

/**
 * Writes the report into `target`, replacing it whole once everything is built. A report of the previous run whose
 * environment the output no longer holds is removed only with `prune`; otherwise the audit refuses.
 */
export function writeAudit(outdir: string, target: string, options: { prune?: boolean } = {}): AuditWritten {
  const output = claimOutputDir(target, { owner: 'audit', flag: '--out' });
  const { files, skipped } = auditReport(readAuditInput(outdir));
  const dropped =
    output.previous === 'owned'
      ? readdirSync(output.target).filter((file) => file.endsWith('.md') && !files.has(file)).sort()
      : [];
  if (dropped.length > 0 && !options.prune) {
    throw new ScriptError(
      `${outdir} has no stack for ${dropped.map((f) => join(target, f)).join(', ')}: synthesize ${dropped.length === 1 ? 'that environment' : 'those environments'} (npm run synth), or pass --prune to remove ${dropped.length === 1 ? 'its report' : 'their reports'}.`,
    );
  }
  const staging = createStaging(output);
  try {
    for (const [name, content] of files) writeFileSync(join(staging, name), content);
    commitStaging(output, staging);
  } catch (error) {
    discardStaging(staging);
    throw error;
  }
  const pruned = dropped.map((f) => `removed ${join(target, f)}: ${outdir} has no stack for it (--prune)`);
  return { files: [...files.keys()], notes: [...output.notes, ...skipped, ...pruned] };
}
