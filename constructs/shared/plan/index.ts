export { blocks, body, field, policyDocument, policyXml, setting } from './config';
export {
  type ManifestStack,
  PlanReadError,
  readOutputJson,
  readSynthOutput,
  type SynthManifest,
  type SynthOutput,
} from './files';
export { type PlanResource, type RemoteState, StackPlan } from './plan';
export type { BlockConfig, OutputBlock, TerraformJson } from './terraform';
export { child, findAll, parseXml, type ParsedXmlElement } from './xml';
