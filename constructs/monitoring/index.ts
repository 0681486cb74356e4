export * from './action-groups';
export * from './alert-settings';
export * from './alerts';
export * from './budgets';
export * from './monitoring';
export * from './signals';
export * from './workbook';
export * from './workbook-template';
