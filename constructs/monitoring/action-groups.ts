import { Construct } from 'constructs';
import { MonitorActionGroup } from '@cdktf/provider-azurerm/lib/monitor-action-group';
import { ALERT_SEVERITIES, type AlertSeverity } from '../shared/catalog';

/** A webhook receiver. Azure Monitor posts the common alert schema to it. */
export interface WebhookReceiverProps {
  /** The URL. Pass a sensitive Terraform variable's value when the URL carries an integration key. */
  readonly serviceUri: string;
  /** Secure webhook: Azure Monitor calls with an Entra ID token for this application. @default - none */
  readonly aadAuth?: {
    readonly objectId: string;
    readonly identifierUri?: string;
    readonly tenantId?: string;
  };
}

/** One action group: who is told, and of which alert severities. */
export interface ActionGroupProps {
  /** Resource name (from the name plan). */
  readonly name: string;
  /** Shown in SMS and e-mail; at most 12 characters. */
  readonly shortName: string;
  /** This group reaches the on-call rotation. @default false */
  readonly paging?: boolean;
  /** Severities this group receives. @default - all */
  readonly severities?: readonly AlertSeverity[];
  /** E-mail receivers: receiver name → address. @default - none */
  readonly emailReceivers?: Readonly<Record<string, string>>;
  /** Webhook receivers, keyed by receiver name. @default - none */
  readonly webhookReceivers?: Readonly<Record<string, WebhookReceiverProps>>;
}

export interface ActionGroupsProps {
  /** Resource group of the action groups (the monitoring resource group). */
  readonly resourceGroupName: string;
  /** Keyed by a stable name; the key forms the construct id. */
  readonly groups: Readonly<Record<string, ActionGroupProps>>;
}

/**
 * The environment's action groups. Alerts are routed by severity: an alert reaches every group whose `severities`
 * include its own, so the on-call group takes critical and error, the team takes the rest. Every receiver uses the
 * common alert schema, which pagers and chat bridges parse without per-alert mapping.
 */
export class ActionGroups extends Construct {
  readonly groups: Readonly<Record<string, MonitorActionGroup>>;
  private readonly routing: ReadonlyArray<{ key: string; severities: ReadonlySet<AlertSeverity> }>;

  constructor(scope: Construct, id: string, props: ActionGroupsProps) {
    super(scope, id);
    const groups: Record<string, MonitorActionGroup> = {};
    const routing: Array<{ key: string; severities: ReadonlySet<AlertSeverity> }> = [];
    for (const [key, group] of Object.entries(props.groups).sort(([a], [b]) => a.localeCompare(b))) {
      if (group.shortName.length > 12) {
        throw new Error(
          `${this.node.path}/${key}: shortName "${group.shortName}" is longer than 12 characters`,
        );
      }
      const emails = Object.entries(group.emailReceivers ?? {}).sort(([a], [b]) => a.localeCompare(b));
      const webhooks = Object.entries(group.webhookReceivers ?? {}).sort(([a], [b]) => a.localeCompare(b));
      groups[key] = new MonitorActionGroup(this, key, {
        name: group.name,
        shortName: group.shortName,
        resourceGroupName: props.resourceGroupName,
        location: 'global',
        enabled: true,
        ...(emails.length > 0
          ? {
              emailReceiver: emails.map(([name, emailAddress]) => ({
                name,
                emailAddress,
                useCommonAlertSchema: true,
              })),
            }
          : {}),
        ...(webhooks.length > 0
          ? {
              webhookReceiver: webhooks.map(([name, webhook]) => ({
                name,
                serviceUri: webhook.serviceUri,
                useCommonAlertSchema: true,
                ...(webhook.aadAuth
                  ? {
                      aadAuth: {
                        objectId: webhook.aadAuth.objectId,
                        ...(webhook.aadAuth.identifierUri
                          ? { identifierUri: webhook.aadAuth.identifierUri }
                          : {}),
                        ...(webhook.aadAuth.tenantId ? { tenantId: webhook.aadAuth.tenantId } : {}),
                      },
                    }
                  : {}),
              })),
            }
          : {}),
      });
      routing.push({ key, severities: new Set(group.severities ?? ALERT_SEVERITIES) });
    }
    this.groups = groups;
    this.routing = routing;
  }

  /** ARM ids of the groups that receive alerts of this severity. */
  idsFor(severity: AlertSeverity): string[] {
    return this.routing.filter((r) => r.severities.has(severity)).map((r) => this.groups[r.key]!.id);
  }

  /** ARM ids of the named groups; throws for an unknown key. */
  idsOf(keys: readonly string[]): string[] {
    return keys.map((key) => {
      const group = this.groups[key];
      if (!group) throw new Error(`${this.node.path}: no action group "${key}"`);
      return group.id;
    });
  }
}
