import { deterministicGuid } from '../constructs/shared/guid';
import type { NameBook } from './names';
import type { Environment } from './schema';
import {
  type AlertSignal,
  MODEL_ALERT_SIGNALS,
  PLATFORM_ALERT_SIGNALS,
  type AzureRegion,
} from '../constructs/shared/catalog';

/** Max length of an action group's short name (shown in SMS and e-mail). */
const SHORT_NAME_LENGTH = 12;

/** `<environment code>-<key>` when it fits in 12 characters, else the key cut to 12: readable in an SMS either way. */
export function defaultShortName(environmentCode: string, key: string): string {
  const full = `${environmentCode}-${key}`;
  return full.length <= SHORT_NAME_LENGTH ? full : key.slice(0, SHORT_NAME_LENGTH).replace(/-+$/, '');
}

/**
 * The names of the monitoring resources: action groups (and their 12-character short names), every alert the stack
 * may create, the environment budget and the workbook's GUID. All are checked at parse time with the rest of the name
 * plan; the alerts of the gateway and Key Vault are planned even before those exist, so adding them never surprises.
 */
export function monitoringNames(book: NameBook, env: Environment, environmentCode: string) {
  const actionGroups = Object.fromEntries(
    Object.entries(env.monitoring.actionGroups).map(([key, group]) => {
      const path = ['monitoring', 'actionGroups', key];
      const name = book.name('actionGroup', path, { qualifier: key });
      const shortName =
        group.shortName === undefined
          ? book.check('actionGroupShortName', defaultShortName(environmentCode, key), path)
          : book.check('actionGroupShortName', group.shortName, [...path, 'shortName']);
      return [key, { name, shortName }];
    }),
  ) as Record<string, { name: string; shortName: string }>;

  const alertNames = new Map<string, string>();
  const plan = (signal: AlertSignal, region: AzureRegion, path: readonly (string | number)[]) =>
    alertNames.set(`${signal}@${region}`, book.name('alert', path, { region, qualifier: signal }));
  for (const region of Object.keys(env.endpoints.accounts) as AzureRegion[]) {
    for (const signal of MODEL_ALERT_SIGNALS) plan(signal, region, ['endpoints', 'accounts', region]);
  }
  for (const signal of PLATFORM_ALERT_SIGNALS) plan(signal, env.regions.primary, ['regions', 'primary']);

  /** The planned name of an alert; throws for an alert the plan does not know (a programming error). */
  const alert = (signal: AlertSignal, region: AzureRegion): string => {
    const name = alertNames.get(`${signal}@${region}`);
    if (name === undefined) throw new Error(`no alert name planned for ${signal} in ${region}`);
    return name;
  };

  return {
    actionGroups,
    alert,
    budget: book.name('budget', ['monitoring', 'budget']),
    /** Workbook names must be GUIDs: derived from environment and workload, stable across synths. */
    workbook: deterministicGuid(`genai-landing-zone:workbook:operations:${env.name}:${env.workload}`),
  };
}
