/**
 * GenAIOps in the platform stack: the prompt library's two platform containers, `prompts` (the published prompt
 * versions) and `evaluation` (the evaluation datasets and results), and the deploy identity's data-plane roles on them.
 * The pipeline publishes prompts after the apply as the deploy identity (Entra ID, no keys: the account has shared
 * keys off), so that identity holds Storage Blob Data Contributor on `prompts` and Storage Blob Data Reader on
 * `evaluation`, on those containers only (Learn: "Assign an Azure role for access to blob data").
 */
import { Construct } from 'constructs';
import type { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { promptLibraryContainer, type PromptLibrary } from '../constructs/prompt-library';
import { EVALUATION_CONTAINER, PROMPT_CONTAINER } from '../constructs/shared/catalog';
import { addRoleAssignment } from '../constructs/shared/features';
import type { Environment } from '../environments/schema';
import { dataProtection } from './governance';

export interface GenAiOpsContainers {
  readonly prompts: StorageContainer;
  readonly evaluation: StorageContainer;
}

export function addGenAiOps(env: Environment, library: PromptLibrary): GenAiOpsContainers {
  const scope = new Construct(library, 'PlatformContainers');
  // Released prompt versions and evaluation results are records: where the environment keeps its data, Terraform
  // may not delete a container (which would delete its blobs), as it may not delete the tenants' containers.
  const { preventDestroy } = dataProtection(env);
  const prompts = promptLibraryContainer(scope, 'prompts', library.resourceId, {
    name: PROMPT_CONTAINER,
    metadata: { purpose: 'published-prompt-versions' },
    ...(preventDestroy ? { preventDestroy } : {}),
  });
  const evaluation = promptLibraryContainer(scope, 'evaluation', library.resourceId, {
    name: EVALUATION_CONTAINER,
    metadata: { purpose: 'evaluation-datasets' },
    ...(preventDestroy ? { preventDestroy } : {}),
  });
  const publisher = env.prompts.publisherPrincipalId;
  if (publisher) {
    addRoleAssignment(scope, 'PublisherPrompts', prompts.id, {
      roleDefinitionName: 'Storage Blob Data Contributor',
      principalId: publisher,
      description: `The deploy identity publishes the prompt versions ${env.name} runs (npm run prompts -- publish)`,
    });
    addRoleAssignment(scope, 'PublisherEvaluation', evaluation.id, {
      roleDefinitionName: 'Storage Blob Data Reader',
      principalId: publisher,
      description: `The evaluation job reads ${env.name}'s evaluation datasets (npm run evaluate)`,
    });
  }
  return { prompts, evaluation };
}

/** What the scheduled evaluation reads, writes and calls. */
export interface ContinuousEvaluationTargets {
  readonly workspaceId: string;
  readonly applicationInsightsId: string;
  /** The platform Foundry project, where the evaluators run. @default - none (no Foundry in the environment) */
  readonly platformProjectId?: string;
}

/**
 * The identity of the scheduled evaluation (`npm run evaluate -- --from-logs`, evaluation.continuous.runnerPrincipalId)
 * gets what its three calls need and nothing else: Log Analytics Reader on the workspace (the sampled traces in
 * ApiManagementGatewayLogs), Monitoring Metrics Publisher on Application Insights (each score as a GenAIOpsEvaluation
 * event, Entra ID ingestion: Learn, "Microsoft Entra authentication for Application Insights") and Azure AI User on the
 * platform Foundry project (Learn, "Role-based access control for Microsoft Foundry").
 */
export function addContinuousEvaluationRunner(
  scope: Construct,
  env: Environment,
  targets: ContinuousEvaluationTargets,
): void {
  const runner = env.evaluation?.continuous?.runnerPrincipalId;
  if (!runner) return;
  const roles = new Construct(scope, 'ContinuousEvaluationRunner');
  addRoleAssignment(roles, 'ReadLogs', targets.workspaceId, {
    roleDefinitionName: 'Log Analytics Reader',
    principalId: runner,
    description: `The scheduled evaluation of ${env.name} reads the sampled message logs`,
  });
  addRoleAssignment(roles, 'PublishScores', targets.applicationInsightsId, {
    roleDefinitionName: 'Monitoring Metrics Publisher',
    principalId: runner,
    description: `The scheduled evaluation of ${env.name} sends its scores (GenAIOpsEvaluation events)`,
  });
  if (targets.platformProjectId) {
    addRoleAssignment(roles, 'RunEvaluators', targets.platformProjectId, {
      roleDefinitionName: 'Azure AI User',
      principalId: runner,
      description: `The scheduled evaluation of ${env.name} runs the evaluators in the platform project`,
    });
  }
}
