import { Construct } from 'constructs';
import { ApiManagementApi } from '@cdktf/provider-azurerm/lib/api-management-api';
import { ApiManagementApiOperation } from '@cdktf/provider-azurerm/lib/api-management-api-operation';
import { ApiManagementApiPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-policy';
import type { ITerraformDependable } from 'cdktf';
import { suppressRule } from '../shared/policy/suppressions';
import { DEPLOYMENT_PARAMETER, type GatewayOperation, objectParameters } from './operations';

export interface InferenceApiProps {
  readonly apiManagementName: string;
  readonly resourceGroupName: string;
  /** The policy document. */
  readonly policyXml: string;
  /** Resources the policy refers to (named values, backends, pools) that must exist first. */
  readonly policyDependsOn: readonly ITerraformDependable[];
  /** The operations, from `operations.ts`: the surfaces this environment has. */
  readonly operations: readonly GatewayOperation[];
}

/**
 * The inference API at `/openai`: https only, a subscription key required. The key is read from the `api-key`
 * header (or query), the way Azure OpenAI SDKs send it, so clients only change the endpoint.
 */
export class InferenceApi extends Construct {
  static readonly NAME = 'azure-openai';
  readonly api: ApiManagementApi;
  readonly policy: ApiManagementApiPolicy;

  constructor(scope: Construct, id: string, props: InferenceApiProps) {
    super(scope, id);
    this.api = new ApiManagementApi(this, 'Api', {
      name: InferenceApi.NAME,
      apiManagementName: props.apiManagementName,
      resourceGroupName: props.resourceGroupName,
      revision: '1',
      displayName: 'Azure OpenAI (AI gateway)',
      description:
        'Azure OpenAI-compatible inference API with load balancing, token limits and content safety.',
      path: 'openai',
      protocols: ['https'],
      subscriptionRequired: true,
      subscriptionKeyParameterNames: { header: 'api-key', query: 'api-key' },
    });
    const operationScope = new Construct(this, 'Operations');
    for (const operation of props.operations) {
      const parameters = [
        ...(operation.urlTemplate.includes(`{${DEPLOYMENT_PARAMETER}}`)
          ? [
              {
                name: DEPLOYMENT_PARAMETER,
                required: true,
                type: 'string',
                description: 'Deployment (model) name',
              },
            ]
          : []),
        ...objectParameters(operation.urlTemplate).map((name) => ({
          name,
          required: true,
          type: 'string',
          description: 'Id of a stored object',
        })),
      ];
      new ApiManagementApiOperation(operationScope, operation.id, {
        operationId: operation.id,
        apiName: this.api.name,
        apiManagementName: props.apiManagementName,
        resourceGroupName: props.resourceGroupName,
        displayName: operation.displayName,
        method: operation.method,
        urlTemplate: operation.urlTemplate,
        ...(parameters.length > 0 ? { templateParameter: parameters } : {}),
        request: {
          queryParameter: [
            { name: 'api-version', required: true, type: 'string', description: 'Azure OpenAI API version' },
          ],
        },
      });
    }
    this.policy = new ApiManagementApiPolicy(this, 'Policy', {
      apiName: this.api.name,
      apiManagementName: props.apiManagementName,
      resourceGroupName: props.resourceGroupName,
      xmlContent: props.policyXml,
      dependsOn: [...props.policyDependsOn],
    });
    suppressRule(
      this.policy,
      'LZ.APIM.PolicyBase',
      'The backend section replaces the global forward-request with a retry across the pool; a <base /> there would forward every request a second time.',
    );
  }
}
