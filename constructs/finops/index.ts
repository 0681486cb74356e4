export * from './budget-enforcement';
export * from './ledger-kql';
export * from './usage-ledger';
