import { Construct } from 'constructs';
import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { AzapiResource } from '../shared/azapi';
import { addRoleAssignment } from '../shared/features';
import type { OptIn } from '../shared/interfaces';

const APIM_API = '2024-06-01-preview';

export interface GatewayObservabilityProps {
  readonly apiManagementId: string;
  /** ARM id of the inference API. */
  readonly apiId: string;
  readonly applicationInsights: { readonly resourceId: string; readonly connectionString: string };
  /**
   * The user-assigned identity the logger authenticates as: Application Insights has local auth off, so it accepts
   * only Entra ID ingestion, from an identity holding Monitoring Metrics Publisher on the component.
   */
  readonly identity: { readonly clientId: string; readonly principalId: string };
  /** Share of requests traced to Application Insights, 0–100. */
  readonly samplingPercentage: number;
  /** Log prompts and completions to `ApiManagementGatewayLlmLog`. Token counts are logged either way. */
  readonly llmMessages: OptIn;
}

/**
 * Loggers and API diagnostics, through azapi: azurerm 4.55 can neither give the App Insights logger a managed
 * identity (App Insights has key auth off), nor turn on `metrics` (without it, `llm-emit-token-metric` samples are
 * dropped), nor configure LLM logging. Defining the diagnostics whole in azapi avoids azurerm rewriting what azapi
 * set.
 */
export class GatewayObservability extends Construct {
  readonly applicationInsightsLogger: AzapiResource;
  /** Monitoring Metrics Publisher of the logger's identity on Application Insights. */
  readonly telemetryPublisher: RoleAssignment;
  readonly applicationInsightsDiagnostic: AzapiResource;
  readonly azureMonitorDiagnostic: AzapiResource;

  constructor(scope: Construct, id: string, props: GatewayObservabilityProps) {
    super(scope, id);
    // Learn, "Microsoft Entra authentication for Application Insights": ingestion with local auth off needs this role.
    this.telemetryPublisher = addRoleAssignment(
      this,
      'TelemetryPublisher',
      props.applicationInsights.resourceId,
      {
        roleDefinitionName: 'Monitoring Metrics Publisher',
        principalId: props.identity.principalId,
        description:
          'The API Management logger sends requests, dependencies and token metrics to Application Insights',
      },
    );
    this.applicationInsightsLogger = new AzapiResource(this, 'ApplicationInsightsLogger', {
      type: `Microsoft.ApiManagement/service/loggers@${APIM_API}`,
      name: 'application-insights',
      parentId: props.apiManagementId,
      schemaValidationEnabled: false,
      body: {
        properties: {
          loggerType: 'applicationInsights',
          resourceId: props.applicationInsights.resourceId,
          isBuffered: true,
          credentials: { identityClientId: props.identity.clientId },
        },
      },
      // The connection string holds the instrumentation key: azapi merges it into the request but keeps it out of the
      // plan's diff (sensitive_body, azapi 2.x). Ingestion itself is Entra ID only (local auth is off).
      sensitiveBody: {
        properties: { credentials: { connectionString: props.applicationInsights.connectionString } },
      },
      dependsOn: [this.telemetryPublisher],
    });
    const azureMonitorLogger = new AzapiResource(this, 'AzureMonitorLogger', {
      type: `Microsoft.ApiManagement/service/loggers@${APIM_API}`,
      name: 'azuremonitor',
      parentId: props.apiManagementId,
      schemaValidationEnabled: false,
      body: { properties: { loggerType: 'azureMonitor', isBuffered: true } },
    });

    const noBodies = {
      request: { headers: [], body: { bytes: 0 } },
      response: { headers: [], body: { bytes: 0 } },
    };
    const sampling = { samplingType: 'fixed', percentage: props.samplingPercentage };

    this.applicationInsightsDiagnostic = new AzapiResource(this, 'ApplicationInsightsDiagnostic', {
      type: `Microsoft.ApiManagement/service/apis/diagnostics@${APIM_API}`,
      name: 'applicationinsights',
      parentId: props.apiId,
      schemaValidationEnabled: false,
      body: {
        properties: {
          loggerId: this.applicationInsightsLogger.id,
          alwaysLog: 'allErrors',
          // W3C trace context: the client's traceparent continues through the gateway to the model.
          httpCorrelationProtocol: 'W3C',
          logClientIp: false,
          verbosity: 'information',
          sampling,
          metrics: true,
          frontend: noBodies,
          backend: noBodies,
        },
      },
    });

    const messages = props.llmMessages.enabled ? 'all' : 'none';
    this.azureMonitorDiagnostic = new AzapiResource(this, 'AzureMonitorDiagnostic', {
      type: `Microsoft.ApiManagement/service/apis/diagnostics@${APIM_API}`,
      name: 'azuremonitor',
      parentId: props.apiId,
      schemaValidationEnabled: false,
      body: {
        properties: {
          loggerId: azureMonitorLogger.id,
          alwaysLog: 'allErrors',
          logClientIp: false,
          verbosity: 'information',
          sampling: { samplingType: 'fixed', percentage: 100 },
          largeLanguageModel: {
            logs: 'enabled',
            requests: { messages, maxSizeInBytes: 262144 },
            responses: { messages, maxSizeInBytes: 262144 },
          },
        },
      },
    });
  }
}
