import { Construct } from 'constructs';
import { Eventhub } from '@cdktf/provider-azurerm/lib/eventhub';
import { EventhubConsumerGroup } from '@cdktf/provider-azurerm/lib/eventhub-consumer-group';
import { EventhubNamespace } from '@cdktf/provider-azurerm/lib/eventhub-namespace';
import { LogAnalyticsWorkspaceTableCustomLog } from '@cdktf/provider-azurerm/lib/log-analytics-workspace-table-custom-log';
import { MonitorDataCollectionEndpoint } from '@cdktf/provider-azurerm/lib/monitor-data-collection-endpoint';
import { MonitorDataCollectionRule } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule';
import { MonitorDataCollectionRuleAssociation } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule-association';
import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { PRIVATE_LINK_SERVICES, PRIVATE_DNS_ZONE_PUBLIC_SUFFIXES } from '../shared/catalog';
import { addRoleAssignment, addStandardFeatures, type StandardFeatures } from '../shared/features';
import type { StandardResourceProps } from '../shared/interfaces';
import {
  LEDGER_EVENT_HUB_STREAM,
  LEDGER_TABLE,
  ledgerTransformKql,
  USAGE_RECORD_FIELDS,
} from '../shared/usage-record';

export interface UsageLedgerProps extends Omit<StandardResourceProps, 'roleAssignments'> {
  /** Name of the Event Hubs namespace: a DNS label under servicebus.windows.net. */
  readonly namespaceName: string;
  /** Name of the event hub. @default 'usage' */
  readonly hubName?: string;
  /** The consumer group Azure Monitor reads with; no other reader shares its checkpoints. @default 'azure-monitor' */
  readonly consumerGroupName?: string;
  readonly location: string;
  readonly resourceGroupName: string;
  /** Throughput units of the Standard namespace. @default 1 */
  readonly throughputUnits?: number;
  /** Partitions of the hub. @default 4 */
  readonly partitionCount?: number;
  /** The workspace that holds the ledger table. */
  readonly workspaceId: string;
  /** Days the table is queryable at the Analytics plan. @default 90 */
  readonly interactiveRetentionInDays?: number;
  /** Days the table is kept in all (13 months). @default 396 */
  readonly totalRetentionInDays?: number;
  readonly collectionEndpointName: string;
  readonly collectionRuleName: string;
  /** The identity that sends the records (the gateway's): it gets Azure Event Hubs Data Sender on the hub, only. */
  readonly senderPrincipalId: string;
}

/**
 * The usage ledger: an Event Hubs namespace that takes no public traffic and no keys, one hub the gateway sends a
 * record per request to, and Azure Monitor's Event Hubs ingestion into a Log Analytics custom table (a data collection
 * rule with its own identity, which alone may read the hub).
 *
 * Learn: "Ingest events from Azure Event Hubs into Azure Monitor Logs" (the DCR's `dataImports.eventHub` source, its
 * identity with Azure Event Hubs Data Receiver, the association on the hub, trusted services allowed when public
 * access is off); "How to log events to Azure Event Hubs in Azure API Management" (the sender's role).
 */
export class UsageLedger extends Construct {
  readonly namespace: EventhubNamespace;
  readonly hub: Eventhub;
  readonly consumerGroup: EventhubConsumerGroup;
  readonly table: LogAnalyticsWorkspaceTableCustomLog;
  readonly collectionEndpoint: MonitorDataCollectionEndpoint;
  readonly collectionRule: MonitorDataCollectionRule;
  readonly association: MonitorDataCollectionRuleAssociation;
  /** Azure Event Hubs Data Sender of the gateway's identity, on the hub. */
  readonly senderRole: RoleAssignment;
  /** Azure Event Hubs Data Receiver of the data collection rule's identity, on the hub. */
  readonly receiverRole: RoleAssignment;
  /** The namespace's host, as the gateway's logger names it: `<namespace>.servicebus.windows.net`. */
  readonly endpointAddress: string;
  readonly hubName: string;
  readonly features: StandardFeatures;

  constructor(scope: Construct, id: string, props: UsageLedgerProps) {
    super(scope, id);
    this.hubName = props.hubName ?? 'usage';
    this.endpointAddress = `${props.namespaceName}.${PRIVATE_DNS_ZONE_PUBLIC_SUFFIXES.serviceBus}`;

    this.namespace = new EventhubNamespace(this, 'Namespace', {
      name: props.namespaceName,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      sku: 'Standard',
      capacity: props.throughputUnits ?? 1,
      autoInflateEnabled: false,
      // Entra ID only: no SAS keys, no connection strings.
      localAuthenticationEnabled: false,
      minimumTlsVersion: '1.2',
      publicNetworkAccessEnabled: false,
      // Azure Monitor reads the hub from inside Azure as a trusted Microsoft service; nothing else passes.
      networkRulesets: [
        {
          defaultAction: 'Deny',
          publicNetworkAccessEnabled: false,
          trustedServiceAccessEnabled: true,
          ipRule: [],
          virtualNetworkRule: [],
        },
      ],
      ...(props.tags ? { tags: { ...props.tags } } : {}),
      ...(props.preventDestroy ? { lifecycle: { preventDestroy: true } } : {}),
    });
    this.hub = new Eventhub(this, 'Hub', {
      name: this.hubName,
      namespaceId: this.namespace.id,
      partitionCount: props.partitionCount ?? 4,
      // A week to catch up when ingestion stalls (the Standard tier's longest).
      messageRetention: 7,
    });
    this.consumerGroup = new EventhubConsumerGroup(this, 'ConsumerGroup', {
      name: props.consumerGroupName ?? 'azure-monitor',
      namespaceName: this.namespace.name,
      eventhubName: this.hub.name,
      resourceGroupName: props.resourceGroupName,
      userMetadata: 'Azure Monitor data collection rule of the usage ledger',
    });
    this.features = addStandardFeatures(
      this,
      {
        resourceId: this.namespace.id,
        location: props.location,
        resourceGroupName: props.resourceGroupName,
        privateLinkSubresource: PRIVATE_LINK_SERVICES.eventHubs.subresource,
      },
      props,
    );
    this.senderRole = addRoleAssignment(this, 'Sender', this.hub.id, {
      roleDefinitionName: 'Azure Event Hubs Data Sender',
      principalId: props.senderPrincipalId,
      description: 'The AI gateway writes one usage record per request to the ledger hub',
    });

    this.table = new LogAnalyticsWorkspaceTableCustomLog(this, 'Table', {
      name: LEDGER_TABLE,
      workspaceId: props.workspaceId,
      displayName: 'GenAI usage ledger',
      description:
        'One record per AI gateway request: tenant, model, deployment, tokens. Never prompt content.',
      plan: 'Analytics',
      retentionInDays: props.interactiveRetentionInDays ?? 90,
      totalRetentionInDays: props.totalRetentionInDays ?? 396,
      column: USAGE_RECORD_FIELDS.map((f) => ({ name: f.column, type: f.type, description: f.description })),
    });
    this.collectionEndpoint = new MonitorDataCollectionEndpoint(this, 'CollectionEndpoint', {
      name: props.collectionEndpointName,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      description: 'Event Hubs ingestion of the usage ledger',
      publicNetworkAccessEnabled: false,
    });
    this.collectionRule = new MonitorDataCollectionRule(this, 'CollectionRule', {
      name: props.collectionRuleName,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      description: 'Reads the usage ledger hub into the ledger table',
      dataCollectionEndpointId: this.collectionEndpoint.id,
      identity: { type: 'SystemAssigned' },
      // Event Hubs ingestion delivers these three columns; the transformation parses the record out of RawData.
      streamDeclaration: [
        {
          streamName: LEDGER_EVENT_HUB_STREAM,
          column: [
            { name: 'TimeGenerated', type: 'datetime' },
            { name: 'RawData', type: 'string' },
            { name: 'Properties', type: 'dynamic' },
          ],
        },
      ],
      dataSources: {
        dataImport: {
          eventHubDataSource: [
            { name: 'ledger-hub', stream: LEDGER_EVENT_HUB_STREAM, consumerGroup: this.consumerGroup.name },
          ],
        },
      },
      destinations: { logAnalytics: [{ name: 'workspace', workspaceResourceId: props.workspaceId }] },
      dataFlow: [
        {
          streams: [LEDGER_EVENT_HUB_STREAM],
          destinations: ['workspace'],
          transformKql: ledgerTransformKql(),
          outputStream: `Custom-${LEDGER_TABLE}`,
        },
      ],
      dependsOn: [this.table],
    });
    this.receiverRole = addRoleAssignment(this, 'Receiver', this.hub.id, {
      roleDefinitionName: 'Azure Event Hubs Data Receiver',
      principalId: this.collectionRule.identity.principalId,
      description: 'Azure Monitor reads the ledger hub into the ledger table with the rule’s identity',
    });
    this.association = new MonitorDataCollectionRuleAssociation(this, 'Association', {
      name: 'usage-ledger',
      targetResourceId: this.hub.id,
      dataCollectionRuleId: this.collectionRule.id,
      description: 'Azure Monitor ingests the ledger hub',
      dependsOn: [this.receiverRole, this.consumerGroup],
    });
  }
}
