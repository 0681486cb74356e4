/**
 * `npm run promote -- --from staging --to prod [--outdir cdktf.out] [--config <file>]...`: the promotion guard. Reads
 * both environments' configuration (the shipped examples, or the files given) and their synthesized plans, prints
 * what differs, and exits 1 when the promotion is blocked:
 *
 * - prod would run a model or model version that staging does not run;
 * - a gateway policy differs other than by the declared per-environment values;
 * - the governance rule pack fails, or its results (policy.json) are missing;
 * - a tenant's allocation grows without an approval;
 * - a cross-environment rule fails;
 * - with `--verification <dir>`: the `from` environment's verification report (`npm run verify`) is missing, failed,
 *   older than `--verification-max-age` hours, or verified another plan than the one promoted;
 * - prod would run a prompt version (prompts/, flow steps included) that staging does not run;
 * - with `--evaluation <file>`: a prompt or model version prod would run has no passing staging evaluation
 *   (`npm run evaluate`), judged against prod's thresholds; the scores are printed.
 */
import {
  ENVIRONMENT_OPTIONS,
  HELP_OPTION,
  OUTDIR_OPTION,
  parseCommand,
  type CommandIo,
  UsageError,
} from './lib/cli';
import { readSynthOutput } from '../constructs/shared/plan';
import { loadPair, promotionReport, readSide, renderPromotion } from './lib/promote';
import { verificationCheck } from './lib/verify/guard';
import { readPromptLibrary } from '../environments/prompt-assets';
import { readEvaluationResult } from './lib/evaluation';
import { evaluationCheck, promptCheck } from './lib/promote-genaiops';

const COMMAND = {
  usage:
    'usage: promote --from <environment> --to <environment> [--outdir <dir>] [--config <file>]... [--verification <dir>] [--evaluation <file>]',
  description: [
    'The promotion guard: compares two environments, their configuration and their synthesized plans, prints what',
    'differs, and exits 1 when the promotion is blocked (a model staging does not run, a policy that differs, a',
    'failing rule pack, an allocation that grows without approval, a failing cross-environment rule) or, with',
    "--verification, when the from environment's verification report is missing, failed or stale.",
  ].join('\n'),
  options: {
    from: {
      type: 'string',
      value: '<environment>',
      help: 'the environment promoted from, e.g. staging (required)',
    },
    to: { type: 'string', value: '<environment>', help: 'the environment promoted to, e.g. prod (required)' },
    outdir: OUTDIR_OPTION,
    config: {
      ...ENVIRONMENT_OPTIONS.config,
      help: 'read both environments from these files instead of the shipped examples (repeatable)',
    },
    verification: {
      type: 'string',
      value: '<dir>',
      help: "the from environment's verification reports (verify.json, as `npm run verify` wrote them); required to pass",
    },
    evaluation: {
      type: 'string',
      value: '<file>',
      help: "the from environment's evaluation result (evaluation/<from>.json, as `npm run evaluate` wrote it); required to pass",
    },
    prompts: { type: 'string', value: '<dir>', help: 'the prompt library (default: prompts)' },
    'verification-max-age': {
      type: 'string',
      value: '<hours>',
      help: 'a verification report older than this is stale (default: 24)',
    },
    help: HELP_OPTION,
  },
} as const;

export function main(argv: readonly string[], io: CommandIo): number {
  const args = parseCommand(argv, COMMAND, io);
  if (!args) return 0;
  if (!args.from || !args.to) throw new UsageError(`--from and --to are required.\n${COMMAND.usage}`);
  const outdir = args.outdir ?? 'cdktf.out';
  const [from, to] = loadPair(args.from, args.to, args.config ?? []);
  const maxAge = args['verification-max-age'] === undefined ? 24 : Number(args['verification-max-age']);
  if (!(maxAge > 0 && maxAge <= 24 * 30)) {
    throw new UsageError(
      `--verification-max-age must be a number of hours above 0 and at most 720, got ${JSON.stringify(args['verification-max-age'])}.\n${COMMAND.usage}`,
    );
  }
  const extra = args.verification
    ? [
        verificationCheck({
          environment: from.env.name,
          dir: args.verification,
          output: readSynthOutput(outdir),
          maxAgeHours: maxAge,
        }),
      ]
    : [];
  const library = readPromptLibrary(args.prompts ?? 'prompts');
  extra.push(promptCheck(from, to, library));
  if (args.evaluation) {
    extra.push(evaluationCheck(from, to, library, readEvaluationResult(args.evaluation), args.evaluation));
  }
  const report = promotionReport(readSide(from, outdir), readSide(to, outdir), extra);
  io.stdout.write(renderPromotion(report));
  return report.passed ? 0 : 1;
}
