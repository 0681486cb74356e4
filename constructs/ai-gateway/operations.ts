/**
 * The operations of the gateway's Azure OpenAI-compatible API, as data: where each is routed, whether it carries a
 * prompt, and which stored objects it names or creates. The API construct creates the operations of the surfaces the
 * environment has; the product policies read the same table for ownership checks, so a new operation that names a
 * stored object cannot be added without its check.
 *
 * Paths follow the Azure OpenAI v1-style data-plane reference (Learn, "Azure OpenAI in Azure AI Foundry Models REST
 * API reference": responses, files, batches, images, audio) under the API's `/openai` path.
 */

/**
 * Which part of the API an operation belongs to:
 * - `inference`: real-time calls by deployment, routed to the model pools;
 * - `responses`: stored responses by id, routed to the account that created them;
 * - `batch`: files and batch jobs, routed to the batch account only (never a real-time pool);
 * - `models`: the tenant's model list, answered by the gateway;
 * - `images`, `audio`: real-time calls by deployment, present only where such models are deployed.
 */
export type OperationSurface = 'inference' | 'responses' | 'batch' | 'models' | 'images' | 'audio';

export interface GatewayOperation {
  readonly id: string;
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly urlTemplate: string;
  readonly displayName: string;
  readonly surface: OperationSurface;
  /** The request carries a prompt: content safety and PII protection apply. */
  readonly prompt?: boolean;
  /** A stored object the request names in its body (the path parameters are read from the template). */
  readonly usesBodyField?: string;
  /** Fields of the response body that hold the ids of stored objects the call created. */
  readonly creates?: readonly string[];
}

/** The path parameter that names the model; every other `{…}` parameter names a stored object. */
export const DEPLOYMENT_PARAMETER = 'deployment-id';

export const GATEWAY_OPERATIONS: readonly GatewayOperation[] = [
  {
    id: 'chat-completions',
    method: 'POST',
    urlTemplate: '/deployments/{deployment-id}/chat/completions',
    displayName: 'Chat completions',
    surface: 'inference',
    prompt: true,
  },
  {
    id: 'completions',
    method: 'POST',
    urlTemplate: '/deployments/{deployment-id}/completions',
    displayName: 'Completions',
    surface: 'inference',
    prompt: true,
  },
  {
    id: 'embeddings',
    method: 'POST',
    urlTemplate: '/deployments/{deployment-id}/embeddings',
    displayName: 'Embeddings',
    surface: 'inference',
    prompt: true,
  },
  // The Responses API names the deployment in the body (`model`); the policy reads it from there.
  {
    id: 'responses',
    method: 'POST',
    urlTemplate: '/responses',
    displayName: 'Responses',
    surface: 'inference',
    prompt: true,
    usesBodyField: 'previous_response_id',
    creates: ['id'],
  },
  {
    id: 'get-response',
    method: 'GET',
    urlTemplate: '/responses/{response-id}',
    displayName: 'Get a stored response',
    surface: 'responses',
  },
  {
    id: 'delete-response',
    method: 'DELETE',
    urlTemplate: '/responses/{response-id}',
    displayName: 'Delete a stored response',
    surface: 'responses',
  },
  {
    id: 'cancel-response',
    method: 'POST',
    urlTemplate: '/responses/{response-id}/cancel',
    displayName: 'Cancel a background response',
    surface: 'responses',
  },
  {
    id: 'response-input-items',
    method: 'GET',
    urlTemplate: '/responses/{response-id}/input_items',
    displayName: 'List the input items of a stored response',
    surface: 'responses',
  },
  {
    id: 'upload-file',
    method: 'POST',
    urlTemplate: '/files',
    displayName: 'Upload a batch input file',
    surface: 'batch',
    creates: ['id'],
  },
  {
    id: 'get-file',
    method: 'GET',
    urlTemplate: '/files/{file-id}',
    displayName: 'Get a file',
    surface: 'batch',
  },
  {
    id: 'get-file-content',
    method: 'GET',
    urlTemplate: '/files/{file-id}/content',
    displayName: 'Download a file (batch output)',
    surface: 'batch',
  },
  {
    id: 'delete-file',
    method: 'DELETE',
    urlTemplate: '/files/{file-id}',
    displayName: 'Delete a file',
    surface: 'batch',
  },
  {
    id: 'create-batch',
    method: 'POST',
    urlTemplate: '/batches',
    displayName: 'Create a batch job',
    surface: 'batch',
    usesBodyField: 'input_file_id',
    creates: ['id'],
  },
  {
    id: 'get-batch',
    method: 'GET',
    urlTemplate: '/batches/{batch-id}',
    displayName: 'Get a batch job',
    surface: 'batch',
    // A finished job names the files it wrote: they belong to the job's owner.
    creates: ['output_file_id', 'error_file_id'],
  },
  {
    id: 'cancel-batch',
    method: 'POST',
    urlTemplate: '/batches/{batch-id}/cancel',
    displayName: 'Cancel a batch job',
    surface: 'batch',
  },
  {
    id: 'list-models',
    method: 'GET',
    urlTemplate: '/models',
    displayName: "The caller's models",
    surface: 'models',
  },
  {
    id: 'image-generations',
    method: 'POST',
    urlTemplate: '/deployments/{deployment-id}/images/generations',
    displayName: 'Image generations',
    surface: 'images',
    prompt: true,
  },
  {
    id: 'audio-transcriptions',
    method: 'POST',
    urlTemplate: '/deployments/{deployment-id}/audio/transcriptions',
    displayName: 'Audio transcriptions',
    surface: 'audio',
  },
  {
    id: 'audio-translations',
    method: 'POST',
    urlTemplate: '/deployments/{deployment-id}/audio/translations',
    displayName: 'Audio translations',
    surface: 'audio',
  },
  {
    id: 'audio-speech',
    method: 'POST',
    urlTemplate: '/deployments/{deployment-id}/audio/speech',
    displayName: 'Text to speech',
    surface: 'audio',
    prompt: true,
  },
];

/** The path parameters of a URL template that name stored objects. */
export function objectParameters(urlTemplate: string): string[] {
  return [...urlTemplate.matchAll(/\{([^}]+)\}/g)]
    .map((m) => m[1]!)
    .filter((name) => name !== DEPLOYMENT_PARAMETER);
}

/** True when an operation names or creates a stored object. */
export function bearsObjectIds(operation: GatewayOperation): boolean {
  return (
    objectParameters(operation.urlTemplate).length > 0 ||
    operation.usesBodyField !== undefined ||
    (operation.creates?.length ?? 0) > 0
  );
}

/** The operations of the given surfaces, in table order. */
export function operationsOf(surfaces: ReadonlySet<OperationSurface>): GatewayOperation[] {
  return GATEWAY_OPERATIONS.filter((o) => surfaces.has(o.surface));
}
