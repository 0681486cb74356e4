export * from './action-groups';
export * from './alerts';
export * from './budgets';
export * from './monitoring';
export * from './workbook';
export * from './workbook-template';
