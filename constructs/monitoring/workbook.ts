import { Construct } from 'constructs';
import { ApplicationInsightsWorkbook } from '@cdktf/provider-azurerm/lib/application-insights-workbook';
import { operationsWorkbook, type WorkbookSources, type WorkbookTemplate } from './workbook-template';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface OperationsWorkbookProps extends WorkbookSources {
  /** Resource name: a GUID. Derive it deterministically (the name plan does); a random one replaces it every plan. */
  readonly name: string;
  /** Shown in the portal. */
  readonly displayName: string;
  readonly location: string;
  readonly resourceGroupName: string;
}

/**
 * The operations workbook as a resource: chargeback per tenant and model, latency percentiles, 429s and spillover
 * share, content-safety blocks and errors by backend. The template is built from typed items
 * ({@link operationsWorkbook}) and serialized into `data_json`.
 */
export class OperationsWorkbook extends Construct {
  readonly workbook: ApplicationInsightsWorkbook;
  /** The template, as deployed (resource ids may be Terraform tokens). */
  readonly template: WorkbookTemplate;

  constructor(scope: Construct, id: string, props: OperationsWorkbookProps) {
    super(scope, id);
    if (!GUID.test(props.name)) {
      throw new Error(`${this.node.path}: a workbook name must be a lowercase GUID, got "${props.name}"`);
    }
    this.template = operationsWorkbook(props);
    this.workbook = new ApplicationInsightsWorkbook(this, 'Workbook', {
      name: props.name,
      displayName: props.displayName,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      category: 'workbook',
      description:
        'GenAI gateway and model operations: usage per tenant, latency, throttling, safety, errors.',
      dataJson: JSON.stringify(this.template),
    });
  }
}
