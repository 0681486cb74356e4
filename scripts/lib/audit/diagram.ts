/**
 * The architecture diagram of one environment, as inline SVG generated from the plan: one column per region with
 * its VNet, the gateway and shared services in the primary region, the model accounts with their deployments, and
 * the routes from the gateway. Badges show private endpoints, locks and internet exposure.
 */
import { body, field, type PlanResource, type StackPlan } from '../../../constructs/shared/plan';
import type { AuditedStack } from './read';
import { nameOf } from './model';

const COLUMN = 330;
const GAP = 24;
const MARGIN = 24;
const LINE = 15;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

interface Box {
  readonly resource: PlanResource;
  readonly title: string;
  readonly lines: readonly string[];
  readonly kind: 'gateway' | 'model' | 'safety' | 'data' | 'monitor' | 'ip';
  x: number;
  y: number;
  readonly height: number;
}

const FILL: Record<Box['kind'], string> = {
  gateway: '#e8f0fe',
  model: '#eef7ee',
  safety: '#fdf3e7',
  data: '#f3eefb',
  monitor: '#f1f3f4',
  ip: '#fdecea',
};

function isExposed(plan: StackPlan, r: PlanResource): boolean {
  if (r.type === 'azurerm_public_ip') return true;
  if (r.type === 'azurerm_api_management') {
    if (r.config['virtual_network_type'] === 'Internal' || r.config['public_network_access_enabled'] === false) return false;
    return !plan.byType('azapi_update_resource').some((u) => plan.refersTo(u.config['resource_id'], r) && field(body(u), 'properties.publicNetworkAccess') === 'Disabled');
  }
  return r.config['public_network_access_enabled'] === true;
}

export function architectureSvg(stack: AuditedStack): string {
  const { plan } = stack;
  const regions = ((stack.policy.facts['regions'] as string[] | undefined) ?? [...new Set(plan.resources.map((r) => String(r.config['location'] ?? '')).filter(Boolean))]).slice();
  const primary = regions[0] ?? '';
  const width = Math.max(960, MARGIN * 2 + regions.length * COLUMN + (regions.length - 1) * GAP);
  const columnX = (region: string) => MARGIN + regions.indexOf(region) * (COLUMN + GAP);
  const peCount = (r: PlanResource) =>
    plan.byType('azurerm_private_endpoint').filter((pe) => plan.refersTo(field(pe.config, 'private_service_connection.private_connection_resource_id'), r)).length;
  const locked = (r: PlanResource) => plan.byType('azurerm_management_lock').some((l) => plan.refersTo(l.config['scope'], r));

  const columns = new Map<string, Box[]>(regions.map((r) => [r, []]));
  const add = (region: string, box: Omit<Box, 'x' | 'y'>) => columns.get(columns.has(region) ? region : primary)?.push({ ...box, x: 0, y: 0 });
  const location = (r: PlanResource) => String(r.config['location'] ?? primary);

  for (const gw of plan.byType('azurerm_api_management')) {
    const mode = gw.config['virtual_network_type'] === 'Internal' ? 'internal VNet' : isExposed(plan, gw) ? 'public' : 'private endpoint';
    const pools = plan.byType('Microsoft.ApiManagement/service/backends').filter((b) => field(body(b), 'properties.type') === 'Pool').length;
    add(location(gw), { resource: gw, title: `API Management ${nameOf(gw)}`, lines: [`${String(gw.config['sku_name'])} · ${mode}`, `${pools} model pools · token limits · content safety`], kind: 'gateway', height: 62 });
  }
  for (const ip of plan.byType('azurerm_public_ip')) add(location(ip), { resource: ip, title: `Public IP ${nameOf(ip)}`, lines: ['gateway management (3443)'], kind: 'ip', height: 46 });
  const deployments = plan.byType('azurerm_cognitive_deployment');
  for (const account of plan.byType('azurerm_cognitive_account')) {
    if (account.config['kind'] === 'ContentSafety') {
      add(location(account), { resource: account, title: `Content Safety ${nameOf(account)}`, lines: ['prompt shields, harm categories'], kind: 'safety', height: 46 });
      continue;
    }
    if (account.config['kind'] === 'TextAnalytics') {
      add(location(account), { resource: account, title: `Language ${nameOf(account)}`, lines: ['PII detection and redaction'], kind: 'safety', height: 46 });
      continue;
    }
    const mine = deployments
      .filter((d) => plan.refersTo(d.config['cognitive_account_id'], account))
      .map((d) => `${String(d.config['name'])} · ${String(field(d.config, 'sku.name'))} ${String(field(d.config, 'sku.capacity'))}`)
      .sort();
    add(location(account), { resource: account, title: `${String(account.config['kind'])} ${nameOf(account)}`, lines: mine, kind: 'model', height: 32 + LINE * Math.max(1, mine.length) });
  }
  for (const kv of plan.byType('azurerm_key_vault')) add(location(kv), { resource: kv, title: `Key Vault ${nameOf(kv)}`, lines: ['RBAC, purge protection'], kind: 'data', height: 46 });
  for (const st of plan.byType('azurerm_storage_account')) add(location(st), { resource: st, title: `Prompt library ${nameOf(st)}`, lines: [`${String(st.config['account_replication_type'])}, versioned, key-less`], kind: 'data', height: 46 });
  for (const la of plan.byType('azurerm_log_analytics_workspace')) add(location(la), { resource: la, title: `Log Analytics ${nameOf(la)}`, lines: ['+ Application Insights, diagnostics of every service'], kind: 'monitor', height: 46 });

  const top = 110;
  let height = 0;
  for (const [region, boxes] of columns) {
    let y = top + 56;
    for (const box of boxes) {
      box.x = columnX(region) + 14;
      box.y = y;
      y += box.height + 12;
    }
    height = Math.max(height, y + 10);
  }
  const total = height + 78;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${total}" width="${width}" height="${total}" role="img" aria-label="Architecture of ${escapeXml(stack.name)}" font-family="Segoe UI, Helvetica, Arial, sans-serif" font-size="12">`);
  out.push('<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#5f6368"/></marker></defs>');

  // Region columns and VNets.
  for (const region of regions) {
    const x = columnX(region);
    const vnet = plan.byType('azurerm_virtual_network').find((v) => v.config['location'] === region);
    out.push(`<rect x="${x}" y="${top}" width="${COLUMN}" height="${height - top}" rx="10" fill="#fafafa" stroke="${vnet ? '#1a73e8' : '#bdc1c6'}" stroke-dasharray="${vnet ? '6 4' : '2 4'}"/>`);
    out.push(`<text x="${x + 12}" y="${top + 20}" font-weight="600" font-size="13">${escapeXml(region)}${region === primary ? ' (primary)' : ''}</text>`);
    const label = vnet
      ? `VNet ${nameOf(vnet)} ${((vnet.config['address_space'] as string[] | undefined) ?? []).join(', ')}`
      : 'no VNet: services are public (reason in the report)';
    out.push(`<text x="${x + 12}" y="${top + 38}" fill="#5f6368">${escapeXml(label)}</text>`);
  }

  // Clients and the way in.
  const gateway = [...columns.values()].flat().find((b) => b.kind === 'gateway');
  const clientsX = columnX(primary) + 14;
  out.push(`<rect x="${clientsX}" y="20" width="${COLUMN - 28}" height="46" rx="8" fill="#fff" stroke="#5f6368"/>`);
  const publicGateway = gateway ? isExposed(plan, gateway.resource) : false;
  out.push(`<text x="${clientsX + 12}" y="40" font-weight="600">Client applications</text>`);
  out.push(`<text x="${clientsX + 12}" y="57" fill="#5f6368">${publicGateway ? 'over the internet, with a gateway key' : 'from the VNet, peered VNets or on-premises'}</text>`);
  if (gateway) {
    out.push(`<path d="M${clientsX + COLUMN - 80} 66 L${gateway.x + COLUMN - 80} ${gateway.y}" stroke="${publicGateway ? '#d93025' : '#1a73e8'}" stroke-width="2" fill="none" marker-end="url(#arrow)"/>`);
  }

  // Routes from the gateway.
  if (gateway) {
    for (const box of [...columns.values()].flat()) {
      if (!['model', 'safety', 'data'].includes(box.kind) || box === gateway) continue;
      const from = { x: gateway.x + COLUMN - 28, y: gateway.y + 31 };
      const to = { x: box.x + (box.x > gateway.x ? 0 : COLUMN - 28), y: box.y + 20 };
      const dash = box.kind === 'data' ? ' stroke-dasharray="4 3"' : '';
      const path =
        box.x > gateway.x
          ? `M${from.x} ${from.y} H${from.x + 10} V${top + 48} H${to.x - 12} V${to.y} H${to.x}`
          : `M${from.x} ${from.y} C${from.x + 24} ${from.y} ${from.x + 24} ${to.y} ${to.x} ${to.y}`;
      out.push(`<path d="${path}" stroke="#80868b" stroke-width="1.3" fill="none"${dash} marker-end="url(#arrow)"/>`);
    }
  }

  // Boxes.
  for (const box of [...columns.values()].flat()) {
    const exposed = isExposed(plan, box.resource);
    const w = COLUMN - 28;
    out.push(`<rect x="${box.x}" y="${box.y}" width="${w}" height="${box.height}" rx="8" fill="${FILL[box.kind]}" stroke="${exposed ? '#d93025' : '#9aa0a6'}" stroke-width="${exposed ? 2 : 1}"/>`);
    out.push(`<text x="${box.x + 10}" y="${box.y + 18}" font-weight="600">${escapeXml(box.title.length > 44 ? `${box.title.slice(0, 43)}…` : box.title)}</text>`);
    box.lines.forEach((line, i) => out.push(`<text x="${box.x + 10}" y="${box.y + 34 + i * LINE}" fill="#3c4043">${escapeXml(line)}</text>`));
    const badges = [
      ...(peCount(box.resource) > 0 ? [['PE', '#1a73e8']] : []),
      ...(locked(box.resource) ? [['LOCK', '#188038']] : []),
      ...(exposed ? [['PUBLIC', '#d93025']] : []),
    ];
    let bx = box.x + w - 8;
    for (const [label, color] of badges.reverse()) {
      const bw = 8 + label!.length * 7;
      bx -= bw;
      out.push(`<rect x="${bx}" y="${box.y + 6}" width="${bw}" height="16" rx="8" fill="${color}"/>`);
      out.push(`<text x="${bx + bw / 2}" y="${box.y + 18}" fill="#fff" font-size="10" text-anchor="middle">${label}</text>`);
      bx -= 4;
    }
  }

  // Legend.
  const ly = total - 44;
  out.push(`<text x="${MARGIN}" y="${ly}" fill="#5f6368">Legend: PE private endpoint · LOCK CanNotDelete lock · PUBLIC reachable from the internet (red frame)</text>`);
  out.push(`<text x="${MARGIN}" y="${ly + 18}" fill="#5f6368">Dashed blue frame: VNet of the region · solid arrows: model traffic from the gateway · dashed arrows: secrets and data</text>`);
  out.push('</svg>');
  return out.join('\n');
}
