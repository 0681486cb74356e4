/** The public face of this capability: what stacks, other capabilities and tests use. Internals stay unexported here. */
export { AiEndpoint, type AiEndpointProps, type ModelDeploymentProps } from './ai-endpoint';
export {
  type BlocklistProps,
  type CategoryThresholds,
  type ContentFilterProps,
  type SeverityThreshold,
} from './content-filter';
