import { DefaultTokenResolver, StringConcat, Testing, TerraformStack, Tokenization } from 'cdktf';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { describe, expect, it } from 'vitest';
import { MonitorActionGroup } from '@cdktf/provider-azurerm/lib/monitor-action-group';
import { ActionGroups } from '../../../constructs/monitoring';
import { exampleEnvironment, synthesizeStack, synthEnvironment } from '../../helpers/synth';

describe('action groups from config', () => {
  it('prod: the on-call group pages by webhook and e-mail; the pager URL comes from a sensitive variable', () => {
    const synth = synthEnvironment(exampleEnvironment('prod'));
    expect(synth.text).toHaveResourceWithProperties(MonitorActionGroup, {
      name: 'ag-cx-genai-prd-sdc-oncall',
      short_name: 'prd-oncall',
      location: 'global',
      email_receiver: [
        { name: 'ai-oncall', email_address: 'ai-oncall@contoso.com', use_common_alert_schema: true },
      ],
      webhook_receiver: [
        { name: 'pager', service_uri: '${var.oncall_webhook_url}', use_common_alert_schema: true },
      ],
    });
    expect((synth.json as { variable?: Record<string, unknown> }).variable).toEqual({
      oncall_webhook_url: expect.objectContaining({ type: 'string', sensitive: true, nullable: false }),
    });
    expect(synth.text).not.toMatch(/https:\/\/events\./);
  });

  it('dev: e-mail only, no variables', () => {
    const synth = synthEnvironment(exampleEnvironment('dev'));
    const groups = synth.resources('azurerm_monitor_action_group');
    expect(groups.map((g) => g.config['name'])).toEqual(['ag-cx-genai-dev-sdc-platform']);
    expect(groups[0]!.config['webhook_receiver']).toBeUndefined();
    expect((synth.json as { variable?: unknown }).variable).toBeUndefined();
  });
});

describe('ActionGroups', () => {
  function build() {
    const stack = new TerraformStack(Testing.app(), 'groups');
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
    const groups = new ActionGroups(stack, 'Groups', {
      resourceGroupName: 'rg',
      groups: {
        team: {
          name: 'ag-team',
          shortName: 'team',
          severities: ['warning', 'informational'],
          emailReceivers: { t: 't@x.com' },
        },
        oncall: {
          name: 'ag-oncall',
          shortName: 'oncall',
          paging: true,
          severities: ['critical', 'error'],
          webhookReceivers: {
            bridge: {
              serviceUri: 'https://oncall.contoso.com/alerts',
              aadAuth: { objectId: '33333333-3333-3333-3333-333333333333' },
            },
          },
        },
      },
    });
    return { stack, groups };
  }

  it('routes a severity to the groups that receive it', () => {
    const { stack, groups } = build();
    const resolver = new DefaultTokenResolver(new StringConcat());
    const ids = (severity: Parameters<typeof groups.idsFor>[0]) =>
      groups.idsFor(severity).map((id) => String(Tokenization.resolve(id, { scope: stack, resolver })));
    expect(ids('error')).toEqual(['${azurerm_monitor_action_group.Groups_oncall_56A22A2B.id}']);
    expect(ids('critical')).toEqual(ids('error'));
    expect(ids('warning')).toEqual(['${azurerm_monitor_action_group.Groups_team_A1677115.id}']);
    expect(ids('verbose')).toEqual([]);
    expect(() => groups.idsOf(['nope'])).toThrow(/no action group "nope"/);
  });

  it('writes secure webhooks with their Entra ID application', () => {
    const { stack } = build();
    expect(synthesizeStack(stack).text).toHaveResourceWithProperties(MonitorActionGroup, {
      name: 'ag-oncall',
      webhook_receiver: [
        {
          name: 'bridge',
          service_uri: 'https://oncall.contoso.com/alerts',
          use_common_alert_schema: true,
          aad_auth: { object_id: '33333333-3333-3333-3333-333333333333' },
        },
      ],
    });
  });

  it('rejects a short name Azure would refuse', () => {
    const stack = new TerraformStack(Testing.app(), 'bad');
    expect(
      () =>
        new ActionGroups(stack, 'Groups', {
          resourceGroupName: 'rg',
          groups: { x: { name: 'ag-x', shortName: 'much-too-long-name' } },
        }),
    ).toThrow(/longer than 12 characters/);
  });
});
