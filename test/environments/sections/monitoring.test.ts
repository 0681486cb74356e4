import { readFileSync } from 'node:fs';
import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { deterministicGuid } from '../../../constructs/shared/guid';
import { ConfigError, parseEnvironment } from '../../../environments';
import { defaultShortName } from '../../../environments/monitoring-names';
import { environmentNames } from '../../../environments/names';
import { RESERVED_VARIABLE_NAMES } from '../../../environments/sections/monitoring';
import { PlatformStack } from '../../../stacks/platform-stack';
import { exampleEnvironment, exampleInput } from '../../helpers/synth';

/** Every problem of a config, as the user sees them; fails when the config is accepted. */
function problems(name: 'dev' | 'staging' | 'prod', patch: unknown) {
  try {
    parseEnvironment(exampleInput(name, patch), 'test');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

describe('monitoring section: defaults and examples', () => {
  it('fills every alert with a threshold, severity and window', () => {
    const env = exampleEnvironment('dev', { monitoring: { alerts: undefined } });
    expect(env.monitoring.alerts.ptuUtilization).toEqual({
      abovePercent: 90,
      severity: 'warning',
      windowMinutes: 15,
    });
    expect(env.monitoring.alerts.gatewayServerErrors).toMatchObject({ abovePercent: 5, minimumRequests: 20 });
    expect(env.monitoring.workbook.enabled).toBe(true);
  });

  it('keeps dev loose and e-mail only, and prod tight with paging and a budget', () => {
    const dev = exampleEnvironment('dev');
    const prod = exampleEnvironment('prod');
    expect(
      Object.values(dev.monitoring.actionGroups).every(
        (g) => !g.paging && Object.keys(g.webhook).length === 0,
      ),
    ).toBe(true);
    expect(dev.monitoring.budget).toBeUndefined();
    expect(prod.monitoring.actionGroups['oncall']).toMatchObject({
      paging: true,
      severities: ['critical', 'error'],
    });
    expect(prod.monitoring.alerts.gatewayServerErrors.abovePercent).toBeLessThan(
      dev.monitoring.alerts.gatewayServerErrors.abovePercent,
    );
    expect(prod.monitoring.budget?.notifications.length).toBeGreaterThan(0);
  });

  it('lets a dev environment run without action groups (alerts show in the portal only)', () => {
    expect(() => exampleEnvironment('dev', { monitoring: { actionGroups: undefined } })).not.toThrow();
  });
});

describe('monitoring section: bad input, each with its own message and path', () => {
  it.each([
    [29, 'expected at least 30'],
    [731, 'expected at most 730'],
  ])('rejects a retention of %s days', (days, message) => {
    const [problem] = problems('dev', { monitoring: { logRetentionInDays: days } });
    expect(problem?.path).toBe('monitoring.logRetentionInDays');
    expect(problem?.message).toContain(message);
  });

  it('rejects a percentage above 100', () => {
    expect(problems('prod', { monitoring: { alerts: { ptuUtilization: { abovePercent: 120 } } } })).toEqual([
      {
        path: 'monitoring.alerts.ptuUtilization.abovePercent',
        message: 'expected a percentage between 0 and 100',
        received: '120',
      },
    ]);
  });

  it('rejects a negative latency', () => {
    expect(problems('prod', { monitoring: { alerts: { modelLatency: { aboveMs: -1 } } } })).toEqual([
      {
        path: 'monitoring.alerts.modelLatency.aboveMs',
        message: 'expected a latency in milliseconds, 0 or more',
        received: '-1',
      },
    ]);
  });

  it('rejects a negative or fractional count', () => {
    const [negative] = problems('dev', { monitoring: { alerts: { gatewayThrottling: { aboveCount: -5 } } } });
    expect(negative).toMatchObject({
      path: 'monitoring.alerts.gatewayThrottling.aboveCount',
      message: 'expected a count of 0 or more',
    });
    const [fraction] = problems('dev', {
      monitoring: { alerts: { gatewayThrottling: { aboveCount: 2.5 } } },
    });
    expect(fraction?.message).toBe('expected a whole number');
  });

  it('rejects an unknown severity and a window alerts cannot use', () => {
    const found = problems('dev', {
      monitoring: { alerts: { modelLatency: { severity: 'sev1', windowMinutes: 10 } } },
    });
    expect(found.map((p) => p.path)).toEqual([
      'monitoring.alerts.modelLatency.severity',
      'monitoring.alerts.modelLatency.windowMinutes',
    ]);
    expect(found[0]?.message).toMatch(/expected a severity: "critical", "error"/);
    expect(found[1]?.message).toBe('expected a window of 5, 15, 30, 60 minutes');
  });

  it('rejects an action group with no receivers in prod', () => {
    expect(
      problems('prod', {
        monitoring: { actionGroups: { platform: { email: { 'ai-platform': undefined } } } },
      }),
    ).toEqual([
      {
        path: 'monitoring.actionGroups.platform',
        message:
          'prod: an action group with no receivers tells no one; expected at least one email or webhook receiver',
        received: expect.any(String),
        rule: 'prod-action-groups-have-receivers',
      },
    ]);
  });

  it('requires prod to page on-call, and its error and critical alerts to reach the pager', () => {
    const noPager = problems('prod', { monitoring: { actionGroups: { oncall: { paging: false } } } });
    expect(noPager.map((p) => p.rule)).toEqual(['prod-pages-on-call']);
    const notPaged = problems('prod', {
      monitoring: { actionGroups: { oncall: { severities: ['critical'] } } },
    });
    expect(notPaged.every((p) => p.rule === 'prod-urgent-alerts-page')).toBe(true);
    expect(notPaged).toContainEqual(
      expect.objectContaining({
        path: 'monitoring.alerts.gatewayServerErrors.severity',
        message: expect.stringContaining('prod: "error" alerts must page on-call'),
      }),
    );
  });

  it('rejects an alert severity that no action group receives', () => {
    const found = problems('dev', {
      monitoring: { actionGroups: { platform: { severities: ['critical', 'error'] } } },
    });
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((p) => p.rule === 'alert-severities-routed')).toBe(true);
    expect(found.map((p) => p.path)).toContain('monitoring.alerts.modelLatency.severity');
  });

  it('rejects a budget without notification thresholds', () => {
    expect(problems('prod', { monitoring: { budget: { notifications: [] } } })).toEqual([
      {
        path: 'monitoring.budget.notifications',
        message:
          'a budget needs at least one notification threshold; expected e.g. [{ thresholdPercent: 80, type: "Actual" }]',
        received: '[]',
      },
    ]);
    expect(problems('prod', { monitoring: { budget: { notifications: undefined } } })[0]).toMatchObject({
      path: 'monitoring.budget.notifications',
      message: expect.stringMatching(/^is required/),
    });
  });

  it('rejects a budget that starts mid-month, has no recipient, or names an unknown action group', () => {
    expect(problems('prod', { monitoring: { budget: { startDate: '2026-12-15' } } })[0]).toMatchObject({
      path: 'monitoring.budget.startDate',
      message: 'expected the first day of a month, as YYYY-MM-01',
    });
    expect(
      problems('prod', { monitoring: { budget: { contactEmails: [], actionGroups: [] } } }).map(
        (p) => p.rule,
      ),
    ).toEqual(['budget-has-recipients']);
    expect(problems('prod', { monitoring: { budget: { actionGroups: ['finance'] } } })[0]).toMatchObject({
      path: 'monitoring.budget.actionGroups[0]',
      rule: 'budget-has-recipients',
    });
  });

  it('requires a budget in prod', () => {
    expect(problems('prod', { monitoring: { budget: undefined } })).toEqual([
      expect.objectContaining({ path: 'monitoring.budget', rule: 'prod-has-budget' }),
    ]);
  });

  it('keeps webhook secrets out of git and the plan in every stage, and wants exactly one URL source', () => {
    const literal = problems('prod', {
      monitoring: {
        actionGroups: { oncall: { webhook: { pager: { uri: 'https://events.example.com/int/KEY' } } } },
      },
    });
    expect(literal.map((p) => [p.path, p.rule])).toEqual([
      ['monitoring.actionGroups.oncall.webhook.pager', 'webhook-uri-given-once'],
      ['monitoring.actionGroups.oncall.webhook.pager.uri', 'webhook-secret-not-in-config'],
    ]);
    const secure = {
      uri: 'https://oncall.contoso.com/alerts',
      uriFromVariable: undefined,
      aadAuth: { objectId: '33333333-3333-3333-3333-333333333333' },
    };
    expect(() =>
      exampleEnvironment('prod', {
        monitoring: { actionGroups: { oncall: { webhook: { pager: secure } } } },
      }),
    ).not.toThrow();
    expect(
      problems('dev', {
        monitoring: { actionGroups: { platform: { webhook: { chat: { uri: 'http://x' } } } } },
      }).map((p) => p.message),
    ).toContain('expected an https:// URL');
    // dev too: its plan is read as widely as prod's, and a pager key pages from either.
    for (const env of ['dev', 'staging', 'prod'] as const) {
      const group = Object.keys(exampleInput(env).monitoring?.actionGroups ?? {})[0]!;
      expect(
        problems(env, {
          monitoring: {
            actionGroups: {
              [group]: {
                webhook: { clear: { uri: 'https://events.pagerduty.com/integration/KEY/enqueue' } },
              },
            },
          },
        }),
      ).toEqual([
        expect.objectContaining({
          path: `monitoring.actionGroups.${group}.webhook.clear.uri`,
          rule: 'webhook-secret-not-in-config',
        }),
      ]);
    }
  });
});

describe('webhook variables', () => {
  it('cannot take a name Terraform reserves or one of the stack’s own construct ids', () => {
    // Every top-level construct id a variable name could equal is reserved: a clash is a config error, not a crash.
    const stack = new PlatformStack(Testing.app(), 'prod', { environment: exampleEnvironment('prod') });
    const ids = stack.node.children.map((c) => c.node.id).filter((id) => /^[a-z][a-z0-9_]*$/.test(id));
    const variables = new Set(
      Object.values(exampleInput('prod').monitoring?.actionGroups ?? {}).flatMap((g) =>
        Object.values(g.webhook ?? {}).flatMap((w) => (w.uriFromVariable ? [w.uriFromVariable] : [])),
      ),
    );
    for (const id of ids.filter((id) => !variables.has(id))) expect(RESERVED_VARIABLE_NAMES).toContain(id);
    for (const name of ['azurerm', 'count']) {
      expect(
        problems('prod', {
          monitoring: { actionGroups: { oncall: { webhook: { pager: { uriFromVariable: name } } } } },
        }),
      ).toEqual([
        expect.objectContaining({
          path: 'monitoring.actionGroups.oncall.webhook.pager.uriFromVariable',
          message: expect.stringMatching(/^expected a variable name that Terraform and the stack do not use/),
        }),
      ]);
    }
  });
});

describe('monitoring names', () => {
  it('plans action group names, short names that fit 12 characters, and every alert name', () => {
    const names = environmentNames(exampleEnvironment('prod'));
    expect(names.monitoring.actionGroups).toEqual({
      oncall: { name: 'ag-cx-genai-prd-sdc-oncall', shortName: 'prd-oncall' },
      platform: { name: 'ag-cx-genai-prd-sdc-platform', shortName: 'prd-platform' },
    });
    expect(names.monitoring.alert('model-throttling', 'francecentral')).toBe(
      'alert-cx-genai-prd-frc-model-throttling',
    );
    expect(names.monitoring.alert('gateway-5xx', 'swedencentral')).toBe('alert-cx-genai-prd-sdc-gateway-5xx');
    expect(() => names.monitoring.alert('gateway-5xx', 'francecentral')).toThrow(/no alert name planned/);
    expect(names.monitoring.budget).toBe('budget-cx-genai-prd-sdc');
  });

  it('defaults the short name to <environment code>-<key>, or the key when that is too long', () => {
    expect(defaultShortName('prd', 'oncall')).toBe('prd-oncall');
    expect(defaultShortName('staging-eu', 'platform')).toBe('platform');
    expect(defaultShortName('prd', 'platform-team-europe')).toBe('platform-tea');
  });

  it('rejects an explicit short name longer than 12 characters at parse time', () => {
    expect(
      problems('prod', { monitoring: { actionGroups: { oncall: { shortName: 'prod-on-call-team' } } } }),
    ).toEqual([
      {
        path: 'monitoring.actionGroups.oncall.shortName',
        message: 'actionGroupShortName name "prod-on-call-team" is 17 characters long; allowed are 1–12',
        received: '"prod-on-call-team"',
        rule: 'names-fit-azure-rules',
      },
    ]);
  });

  it('derives the workbook GUID from environment and workload: stable, distinct, RFC 4122 version 5', () => {
    const prod = environmentNames(exampleEnvironment('prod')).monitoring.workbook;
    expect(prod).toBe(environmentNames(exampleEnvironment('prod')).monitoring.workbook);
    expect(prod).not.toBe(environmentNames(exampleEnvironment('staging')).monitoring.workbook);
    expect(prod).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // RFC 4122 appendix test vector: uuid5(DNS namespace, "python.org").
    expect(deterministicGuid('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '886313e1-3b8a-5372-9b90-0c9aee199e5d',
    );
  });
});

describe('the README table "what pages on-call"', () => {
  it('matches the prod config: every listed alert pages, with the threshold the README shows', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(
      readme.indexOf('### Monitoring: what pages on-call'),
      readme.indexOf('### Deploying'),
    );
    const rows = Object.fromEntries(
      [...section.matchAll(/^\| `([a-z0-9-]+)`\s*\|(.*)$/gm)].map((m) => [m[1]!, m[2]!]),
    );
    const { alerts } = exampleEnvironment('prod').monitoring;
    const listed: Record<string, [keyof typeof alerts, number]> = {
      'gateway-5xx': ['gatewayServerErrors', alerts.gatewayServerErrors.abovePercent],
      'gateway-pool-exhausted': ['gatewayPoolExhausted', alerts.gatewayPoolExhausted.aboveCount],
      'gateway-throttling': ['gatewayThrottling', alerts.gatewayThrottling.aboveCount],
      'model-availability': ['modelAvailability', alerts.modelAvailability.belowPercent],
      'keyvault-availability': ['keyVaultAvailability', alerts.keyVaultAvailability.belowPercent],
    };
    // model decay pages too: its severity comes from evaluation.continuous, not from the alert settings
    const decay = exampleEnvironment('prod').evaluation?.continuous;
    expect(Object.keys(rows).sort()).toEqual(
      [...Object.keys(listed), ...(decay ? ['model-decay'] : [])].sort(),
    );
    if (decay) expect(rows['model-decay'], 'model-decay').toContain(`${decay.severity} (`);
    for (const [name, [key, threshold]] of Object.entries(listed)) {
      expect(rows[name], name).toContain(` ${threshold} `);
      expect(rows[name], name).toContain(`${alerts[key].severity} (`);
    }
    // and nothing else pages in prod
    const paged = Object.entries(alerts).filter(
      ([, a]) => a.severity === 'critical' || a.severity === 'error',
    );
    expect(paged.map(([key]) => key).sort()).toEqual(
      Object.values(listed)
        .map(([key]) => key)
        .sort(),
    );
  });
});
