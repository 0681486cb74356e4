export {
  checkDataPaths,
  type DataPathContext,
  type DataPathReport,
  type HopKind,
  type HopResult,
  PATH_RULES,
  type PathResult,
  type PathRuleId,
  pathRuleResults,
  type PathVerdict,
  type ProvidedHop,
} from './check';
export { type DataPath, discoverPaths, FOUNDRY_MANAGED_NETWORK, PATH_KINDS, type PathKindId } from './model';
export { CALLEE_SERVICES, type CalleeService } from './services';
export { assumptionRows, PATH_TABLE_HEADER, pathRows } from './table';
export {
  analyzeResilience,
  type ModelCapacity,
  type ModelResilience,
  type RegionLoss,
  type ResilienceAnalysis,
  RESILIENCE_TABLE_HEADER,
  resilienceRows,
} from './resilience';
