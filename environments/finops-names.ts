import type { NameBook } from './names';

/**
 * The names of the FinOps resources: the usage ledger (Event Hubs namespace, its private endpoint, the data
 * collection endpoint and rule) and the budget automation (the Logic App, its two custom roles, the two budget alerts).
 * Planned with the rest of the names, so that a name that cannot fit is a config error.
 */
export function finopsNames(book: NameBook, gatewayService: string, workspace: string) {
  const path = ['finops', 'ledger'];
  const ledger = {
    namespace: book.name('eventHubNamespace', path),
    hub: 'usage',
    consumerGroup: 'azure-monitor',
    privateEndpoint: book.name('privateEndpoint', path, { qualifier: 'evhns' }),
    collectionEndpoint: book.name('dataCollectionEndpoint', path, { qualifier: 'ledger' }),
    collectionRule: book.name('dataCollectionRule', path, { qualifier: 'ledger' }),
  };
  const budgetPath = ['tenants'];
  const budgets = {
    logicApp: book.name('logicApp', budgetPath, { qualifier: 'budgets' }),
    warningAlert: book.name('alert', budgetPath, { qualifier: 'tenant-budget-80' }),
    suspensionAlert: book.name('alert', budgetPath, { qualifier: 'tenant-budget-100' }),
    /** Custom role names are unique in the directory: the gateway's and workspace's names make them this environment's. */
    suspenderRole: `GenAI subscription suspender (${gatewayService})`,
    ledgerReaderRole: `GenAI usage ledger reader (${workspace})`,
  };
  return { ledger, budgets };
}
