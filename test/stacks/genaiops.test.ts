/**
 * GenAIOps in the plan, for every environment the project loads: the prompt library's platform containers and the
 * deploy identity's data roles on them (publishing needs no keys), the tenants' sampled message logging (only where
 * continuous evaluation reads it, captured after PII redaction), and the model-decay alert on the events the
 * continuous evaluation sends. Plus the config errors of the evaluation gate.
 */
import { describe, expect, it } from 'vitest';
import { DECAY_EVENT, MESSAGE_LOG_SOURCE, ROLE_CATALOG } from '../../constructs/shared/catalog';
import type { StackPlan } from '../../constructs/shared/plan';
import { loadEnvironments } from '../../environments';
import { environmentNames } from '../../environments/names';
import { tenantPii, tenantsIn } from '../../environments/sections/tenants';
import { decayEvents } from '../../scripts/lib/continuous-evaluation';
import { problemsOf } from '../helpers/config';
import { examplesOutput } from '../helpers/examples';
import { exampleInput } from '../helpers/synth';
import { child, type Element, parseXml } from '../helpers/xml';

const textOf = (e: Element): string =>
  [e.name, ...Object.values(e.attributes), e.text, ...e.children.map(textOf)].join(' ');

const environments = () => loadEnvironments().map((env) => ({ env, plan: examplesOutput().stack(env.name) }));

function productPolicy(plan: StackPlan, slug: string): Element {
  const policy = plan.byType('azurerm_api_management_product_policy').find((r) => {
    const product = plan.resolve(r.config['product_id']);
    return String(product?.config['product_id'] ?? r.config['product_id']) === slug;
  });
  expect(policy, `the product policy of ${slug}`).toBeDefined();
  return parseXml(String(policy!.config['xml_content']));
}

describe('prompt publishing in the plan', () => {
  it('each environment has the prompts and evaluation containers, private, in the prompt library', () => {
    for (const { env, plan } of environments()) {
      const account = plan.byPath('PromptLibrary/Account')!;
      expect(account.config['shared_access_key_enabled'], env.name).toBe(false);
      for (const name of ['prompts', 'evaluation']) {
        const container = plan.byPath(`PromptLibrary/PlatformContainers/${name}`);
        expect(container, `${env.name}: container ${name}`).toBeDefined();
        expect(container!.config).toMatchObject({ name, container_access_type: 'private' });
        expect(plan.refersTo(container!.config['storage_account_id'], account)).toBe(true);
      }
    }
  });

  it('the deploy identity writes the prompts container and reads the evaluation container, and nothing else', () => {
    for (const { env, plan } of environments()) {
      const publisher = env.prompts.publisherPrincipalId;
      const grants = plan
        .byType('azurerm_role_assignment')
        .filter((r) => r.config['principal_id'] === publisher);
      if (!publisher) {
        expect(Object.keys(env.prompts.versions), `${env.name} pins prompts without a publisher`).toEqual([]);
        continue;
      }
      const prompts = plan.byPath('PromptLibrary/PlatformContainers/prompts')!;
      const evaluation = plan.byPath('PromptLibrary/PlatformContainers/evaluation')!;
      expect(
        grants
          .map((g) => ({
            role: g.config['role_definition_name'],
            prompts: plan.refersTo(g.config['scope'], prompts),
            evaluation: plan.refersTo(g.config['scope'], evaluation),
          }))
          .sort((a, b) => String(a.role).localeCompare(String(b.role))),
        env.name,
      ).toEqual([
        { role: 'Storage Blob Data Contributor', prompts: true, evaluation: false },
        { role: 'Storage Blob Data Reader', prompts: false, evaluation: true },
      ]);
      // the role allows what publish does: read a blob's metadata and write a blob
      const contributor = ROLE_CATALOG['Storage Blob Data Contributor'];
      expect(JSON.stringify(contributor)).toContain(
        'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write',
      );
    }
  });
});

describe('sampled message logging for continuous evaluation', () => {
  it('only tenants that opted in log, only where continuous evaluation runs, and only after PII redaction', () => {
    for (const { env, plan } of environments()) {
      for (const t of tenantsIn(env).filter((x) => x.hasAccess && x.tenant.purpose !== 'verification')) {
        const policy = productPolicy(plan, t.slug);
        const inbound = child(policy, 'inbound')!.children;
        const outbound = child(policy, 'outbound')!.children;
        const traces = outbound.filter((e) => textOf(e).includes(MESSAGE_LOG_SOURCE));
        const expected = t.tenant.messageLogging !== undefined && env.evaluation?.continuous !== undefined;
        expect(traces.length, `${env.name}/${t.slug}: message-log trace`).toBe(expected ? 1 : 0);
        if (!expected) continue;

        const percent = t.tenant.messageLogging!.samplingPercent;
        const draw = inbound.findIndex(
          (e) => e.name === 'set-variable' && e.attributes['name'] === 'genaiops-sampled',
        );
        expect(inbound[draw]!.attributes['value']).toBe(
          `@(new Random().Next(10000) < ${Math.round(percent * 100)})`,
        );
        const capture = inbound.findIndex((e) => textOf(e).includes('genaiops-prompt'));
        // PII: a logging tenant redacts (or sends no sensitive data); the prompt is captured after the masked body is set
        const pii = tenantPii(t.tenant, env.stage);
        expect(pii, `${env.name}/${t.slug}`).not.toBe('detect');
        if (pii === 'redact') {
          const redaction = inbound.findLastIndex((e) => textOf(e).includes('redactedText'));
          expect(redaction, `${env.name}/${t.slug}: the redaction step`).toBeGreaterThanOrEqual(0);
          expect(capture, `${env.name}/${t.slug}: captured after redaction`).toBeGreaterThan(redaction);
        } else {
          expect(['confidential', 'restricted']).not.toContain(t.tenant.dataClassification);
        }
        // the trace carries the tenant and is emitted only for a sampled, successful, non-streamed exchange
        const when = child(traces[0]!, 'when')!;
        expect(when.attributes['condition']).toContain('genaiops-sampled');
        expect(when.attributes['condition']).toContain('text/event-stream');
        const trace = child(when, 'trace')!;
        expect(trace.attributes).toEqual({ source: MESSAGE_LOG_SOURCE, severity: 'information' });
      }
      // the gateway's Azure Monitor diagnostic logs at information, so the trace reaches ApiManagementGatewayLogs
      const diagnostic = plan.byPath('Gateway/Observability/AzureMonitorDiagnostic');
      if (diagnostic)
        expect(JSON.stringify(diagnostic.config['body'])).toContain('"verbosity":"information"');
    }
  });

  it('refuses message logging where prompts would reach the log unredacted', () => {
    const problems = problemsOf(exampleInput('prod', { tenants: { legal: { pii: 'detect' } } })).filter(
      (p) => p.path === 'tenants.legal.messageLogging',
    );
    expect(problems).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          /^prod: pii "detect" passes confidential prompts unredacted, so the message log would hold personal data; expected pii "redact", or no messageLogging$/,
        ),
        rule: 'tenant-message-logging-pii-safe',
      }),
    ]);
  });
});

describe('the scheduled evaluation’s identity', () => {
  it('reads the workspace, publishes to Application Insights and uses the platform project, and holds nothing else', () => {
    for (const { env, plan } of environments()) {
      const runner = env.evaluation?.continuous?.runnerPrincipalId;
      const held = plan
        .byType('azurerm_role_assignment')
        .filter((a) => runner !== undefined && a.config['principal_id'] === runner);
      if (!runner) {
        expect(env.evaluation?.continuous, env.name).toBeUndefined();
        continue;
      }
      const workspace = plan.byType('azurerm_log_analytics_workspace')[0];
      const insights = plan.byType('azurerm_application_insights')[0];
      const project = plan
        .byType('azurerm_cognitive_account_project')
        .find((r) => r.config['name'] === environmentNames(env).foundry?.platformProject);
      const on = (role: string) => held.filter((a) => a.config['role_definition_name'] === role);
      expect(
        on('Log Analytics Reader').map((a) => a.config['scope']),
        env.name,
      ).toEqual([workspace ? `\${${workspace.address}.id}` : env.monitoring.existing?.workspaceId]);
      expect(
        on('Monitoring Metrics Publisher').map((a) => a.config['scope']),
        env.name,
      ).toEqual([insights ? `\${${insights.address}.id}` : env.monitoring.existing?.applicationInsightsId]);
      expect(on('Azure AI User').length, env.name).toBe(env.foundry.enabled ? 1 : 0);
      if (project)
        expect(plan.refersTo(on('Azure AI User')[0]!.config['scope'], project), env.name).toBe(true);
      expect(held.length, `${env.name}: no other role`).toBe(env.foundry.enabled ? 3 : 2);
    }
  });

  it('is required where continuous evaluation runs, with its path', () => {
    const input = exampleInput('prod', { evaluation: { continuous: { runnerPrincipalId: undefined } } });
    expect(problemsOf(input)).toEqual([
      expect.objectContaining({
        path: 'evaluation.continuous.runnerPrincipalId',
        message: expect.stringMatching(/expected the object id \(a GUID\) of that identity$/),
      }),
    ]);
  });
});

describe('the model-decay alert', () => {
  it('fires on a continuous-evaluation event below its threshold, named by route and evaluator', () => {
    for (const { env, plan } of environments()) {
      const name = environmentNames(env).monitoring.alert('model-decay', env.regions.primary);
      const alert = plan
        .byType('azurerm_monitor_scheduled_query_rules_alert_v2')
        .find((r) => r.config['name'] === name);
      const continuous = env.evaluation?.continuous;
      expect(alert !== undefined, `${env.name}: model-decay alert`).toBe(continuous !== undefined);
      if (!alert || !continuous) continue;
      const appInsights = plan.byType('azurerm_application_insights')[0]!;
      expect(plan.refersTo((alert.config['scopes'] as string[])[0], appInsights)).toBe(true);
      expect(alert.config).toMatchObject({
        window_duration: `PT${continuous.windowHours}H`,
        evaluation_frequency: 'PT1H',
        severity: { critical: 0, error: 1, warning: 2, informational: 3 }[continuous.severity],
        enabled: true,
      });
      const [criterion] = alert.config['criteria'] as Array<Record<string, unknown>>;
      expect(criterion).toMatchObject({
        operator: 'GreaterThan',
        threshold: 0,
        metric_measure_column: 'FailingRuns',
      });
      const query = String(criterion!['query']);
      // the alert reads exactly what the scheduled evaluation sends: the event, its dimensions and measurements
      const [event] = decayEvents(
        {
          version: 1,
          environment: env.name,
          target: 'fixture',
          evaluatedAt: '2026-01-01T00:00:00.000Z',
          source: 'logs',
          passed: false,
          runs: [
            {
              dataset: 'logs:gpt-4o-mini',
              prompts: [],
              models: [],
              rows: 3,
              passed: false,
              scores: { relevance: { score: 2, threshold: 4, passed: false, rows: 3 } },
            },
          ],
        },
        'InstrumentationKey=00000000-0000-0000-0000-000000000000',
      ) as Array<{ data: { baseData: { name: string; properties: object; measurements: object } } }>;
      expect(query).toContain(`customEvents\n| where name == "${DECAY_EVENT}"`);
      expect(event!.data.baseData.name).toBe(DECAY_EVENT);
      for (const key of Object.keys(event!.data.baseData.properties).filter((k) =>
        ['route', 'evaluator'].includes(k),
      )) {
        expect(query).toContain(`customDimensions["${key}"]`);
      }
      for (const key of ['score', 'threshold', 'passed']) {
        expect(Object.keys(event!.data.baseData.measurements)).toContain(key);
        expect(query).toContain(`customMeasurements["${key}"]`);
      }
      expect(query).toContain('countif(Passed == 0)');
      expect((criterion!['dimension'] as Array<{ name: string }>).map((d) => d.name)).toEqual([
        'Route',
        'Evaluator',
      ]);
      expect((alert.config['action'] as { action_groups: string[] }).action_groups.length).toBeGreaterThan(0);
    }
  });
});

describe('evaluation config errors', () => {
  it('a threshold outside its scale, and a dataset outside the evaluation container, name their path', () => {
    const problems = problemsOf(
      exampleInput('staging', {
        evaluation: {
          evaluators: { groundedness: { threshold: 7 }, contentSafety: { threshold: 1.5 } },
          datasets: {
            'support-golden': { blob: 'prompts/datasets/support.jsonl' },
            escape: { blob: 'evaluation/../prompts/x.jsonl', prompts: ['support-answer'] },
          },
        },
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        {
          path: 'evaluation.evaluators.groundedness.threshold',
          message: 'groundedness is scored 1–5; expected a threshold from 1 to 5',
          received: '7',
        },
        {
          path: 'evaluation.evaluators.contentSafety.threshold',
          message: 'the content-safety defect rate is a share from 0 to 1; expected a threshold from 0 to 1',
          received: '1.5',
        },
        {
          path: 'evaluation.datasets.support-golden.blob',
          message:
            'a dataset lives in the evaluation container; expected "evaluation/<path>.jsonl" (no "..")',
          received: '"prompts/datasets/support.jsonl"',
        },
        expect.objectContaining({
          path: 'evaluation.datasets.escape.blob',
          received: '"evaluation/../prompts/x.jsonl"',
        }),
      ]),
    );
  });

  it('a dataset of a prompt the environment does not pin, and pins without a publisher, are errors', () => {
    const problems = problemsOf(
      exampleInput('staging', {
        prompts: { publisherPrincipalId: undefined },
        evaluation: { datasets: { extra: { blob: 'evaluation/x.jsonl', prompts: ['nope'] } } },
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'evaluation.datasets.extra.prompts[0]',
          rule: 'evaluation-datasets-pinned',
        }),
        expect.objectContaining({ path: 'prompts.publisherPrincipalId', rule: 'prompts-publisher' }),
      ]),
    );
  });
});
