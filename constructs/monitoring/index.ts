export * from './action-groups';
export * from './alerts';
export * from './budgets';
export * from './monitoring';
export * from './private-link-scope';
export * from './workbook';
export * from './workbook-template';
