/**
 * Checks the cross-stack references of a synthesized output: every `terraform_remote_state` a stack declares must
 * read the backend of a stack in the same output (the one it depends on), and every output it reads must exist there.
 * A reference that does not resolve fails at plan time in the pipeline; this finds it at synth time.
 */
import { readSynthOutput } from '../../constructs/shared/plan';

/** Counts of what was checked, and every reference that does not resolve, one sentence each. */
export interface CrossStackReport {
  readonly remoteStates: number;
  readonly outputsRead: number;
  readonly problems: readonly string[];
}

export function checkCrossStackReferences(outdir: string): CrossStackReport {
  const output = readSynthOutput(outdir);
  const stacks = output.stacks();
  const problems: string[] = [];
  let remoteStates = 0;
  let outputsRead = 0;
  for (const plan of stacks) {
    for (const state of plan.remoteStates()) {
      remoteStates += 1;
      const producer = stacks.find((other) => other.writes(state));
      if (!producer) {
        problems.push(
          `${plan.name}: terraform_remote_state.${state.name} reads ${state.backend} state that no stack of ${outdir} writes (${JSON.stringify(state.config)})`,
        );
        continue;
      }
      if (!plan.upstream.includes(producer))
        problems.push(
          `${plan.name}: reads the state of ${producer.name} but does not depend on it in manifest.json`,
        );
      for (const name of plan.outputsRead(state)) {
        outputsRead += 1;
        if (producer.json.output?.[name] === undefined)
          problems.push(`${plan.name}: reads output ${name}, which ${producer.name} does not have`);
      }
    }
  }
  return { remoteStates, outputsRead, problems };
}
