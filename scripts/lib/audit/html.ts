/** The one self-contained HTML report: inline CSS and SVG, no script, no network. */
import { escapeXml } from './diagram';
import type { EnvironmentAudit, Section, Table } from './model';

const CSS = `
:root { --ink: #202124; --muted: #5f6368; --line: #dadce0; --ok: #188038; --warn: #b06000; --bad: #d93025; --accent: #1a73e8; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink); background: #f8f9fa; }
header { background: #202b3c; color: #fff; padding: 28px 40px 22px; }
header h1 { margin: 0 0 6px; font-size: 24px; font-weight: 600; }
header p { margin: 0; color: #c4c9d2; }
nav { position: sticky; top: 0; background: #fff; border-bottom: 1px solid var(--line); padding: 10px 40px; z-index: 1; }
nav a { color: var(--accent); text-decoration: none; margin-right: 22px; font-weight: 600; }
main { padding: 24px 40px 60px; max-width: 1500px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 16px; margin-bottom: 28px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; }
.card h3 { margin: 0 0 4px; font-size: 17px; }
.card .stage { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .06em; }
.card dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; margin: 10px 0 0; }
.card dt { color: var(--muted); } .card dd { margin: 0; font-weight: 600; }
section.env { background: #fff; border: 1px solid var(--line); border-radius: 12px; padding: 22px 26px; margin-bottom: 28px; }
section.env > h2 { margin: 0 0 4px; font-size: 21px; }
h3 { margin: 26px 0 6px; font-size: 16px; } h4 { margin: 14px 0 6px; font-size: 13px; color: var(--muted); }
p.intro { margin: 0 0 8px; color: var(--muted); }
figure { margin: 16px 0 8px; overflow-x: auto; border: 1px solid var(--line); border-radius: 10px; background: #fff; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 10px; font-size: 12.5px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #f1f3f4; font-weight: 600; position: sticky; top: 41px; }
tr:hover td { background: #fafbfc; }
td.pass { color: var(--ok); font-weight: 600; } td.suppressed { color: var(--warn); font-weight: 600; } td.fail { color: var(--bad); font-weight: 700; }
details { margin: 6px 0; } summary { cursor: pointer; color: var(--accent); font-weight: 600; }
.empty { color: var(--muted); font-style: italic; }
footer { color: var(--muted); padding: 0 40px 40px; font-size: 12px; }
`;

const e = escapeXml;

function statusClass(value: string): string {
  if (value === 'pass') return ' class="pass"';
  if (value === 'suppressed') return ' class="suppressed"';
  if (value.startsWith('FAIL')) return ' class="fail"';
  return '';
}

function table(t: Table): string {
  if (t.rows.length === 0) return `<p class="empty">${e(t.empty)}</p>`;
  const head = `<tr>${t.header.map((h) => `<th>${e(h)}</th>`).join('')}</tr>`;
  const rows = t.rows.map((row) => `<tr>${row.map((c) => `<td${statusClass(c)}>${e(c)}</td>`).join('')}</tr>`);
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

function section(s: Section, prefix: string): string {
  const parts = s.tables.map((t) => {
    const content = `${t.caption && !t.collapsed ? `<h4>${e(t.caption)}</h4>\n` : ''}${table(t.table)}`;
    return t.collapsed ? `<details><summary>${e(t.caption ?? 'details')} (${t.table.rows.length})</summary>\n${table(t.table)}\n</details>` : content;
  });
  return `<h3 id="${prefix}-${s.id}">${e(s.title)}</h3>\n<p class="intro">${e(s.intro)}</p>\n${parts.join('\n')}`;
}

export function indexHtml(
  audits: readonly { audit: EnvironmentAudit; svg: string }[],
  differences: Section | undefined,
): string {
  const cards = audits.map(({ audit }) => {
    const s = audit.summary;
    return `<div class="card"><div class="stage">${e(audit.stage)}</div><h3><a href="#env-${e(audit.name)}">${e(audit.name)}</a></h3><dl>
<dt>resources</dt><dd>${s.resources}</dd>
<dt>rule results</dt><dd>${s.pass} pass · ${s.suppressed} suppressed · ${s.fail} fail</dd>
<dt>internet-facing</dt><dd>${s.exposed}</dd>
<dt>tenants</dt><dd>${s.tenants}</dd></dl></div>`;
  });
  const envs = audits.map(
    ({ audit, svg }) => `<section class="env" id="env-${e(audit.name)}">
<h2>${e(audit.name)} <small style="color:#5f6368;font-weight:400">${e(audit.stage)}</small></h2>
<p class="intro">${e(audit.description)} Markdown version: <a href="${e(audit.name)}.md">${e(audit.name)}.md</a>.</p>
<h3 id="${e(audit.name)}-architecture">Architecture</h3>
<figure>
${svg}
</figure>
${audit.sections.map((s) => section(s, audit.name)).join('\n')}
</section>`,
  );
  const nav = [
    ...audits.map(({ audit }) => `<a href="#env-${e(audit.name)}">${e(audit.name)}</a>`),
    ...(differences ? ['<a href="#differences">staging vs prod</a>'] : []),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GenAI landing zone: audit report</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>GenAI landing zone: audit report</h1>
<p>Generated by <code>npm run audit</code> from the synthesized plans in cdktf.out and the policy results synth wrote next to them. The same plan always gives this same file.</p>
</header>
<nav>${nav.join('')}</nav>
<main>
<div class="cards">
${cards.join('\n')}
</div>
${envs.join('\n')}
${differences ? `<section class="env" id="differences">\n<h2>${e(differences.title)}</h2>\n${section({ ...differences, title: 'What differs' }, 'differences')}\n</section>` : ''}
</main>
<footer>Rules follow checkov (CKV_AZURE_*, CKV2_AZURE_*) and PSRule for Azure (Azure.*) where they exist; LZ rules marked "own" are this landing zone's invariants. Each rule names its public source in the rule list of every environment.</footer>
</body>
</html>
`;
}
