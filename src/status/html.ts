/**
 * The document around every status page, with its one stylesheet; the HTML template itself
 * is src/html.ts, shared with the sandbox.
 */
import { html, trustedHtml, type HtmlValue, type SafeHtml } from '../html.js';

export { escapeHtml, html, SafeHtml, trustedHtml, type HtmlValue } from '../html.js';

/** The pages' one stylesheet: inline, small, no external fonts, readable on a phone. */
const STYLESHEET = `
:root{--bg:#f6f7f9;--card:#fff;--ink:#1f2328;--muted:#656d76;--line:#d8dee4;--pass:#1a7f37;--pass-bg:#dafbe1;
--fail:#cf222e;--fail-bg:#ffebe9;--warn:#9a6700;--warn-bg:#fff8c5;--err:#8250df;--err-bg:#fbefff;--none:#6e7781;--none-bg:#eaeef2;
--skip:#afb8c1;--link:#0969da}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--ink)}
a{color:var(--link);text-decoration:none}a:hover{text-decoration:underline}
header.top{background:#24292f;color:#fff;padding:10px 20px;display:flex;gap:16px;align-items:baseline;flex-wrap:wrap}
header.top a{color:#fff;font-weight:600;font-size:16px}header.top .sub{color:#c9d1d9;font-size:12px}
main{max-width:1200px;margin:0 auto;padding:16px 20px 40px}
h1{font-size:20px;margin:4px 0 12px}h2{font-size:16px;margin:22px 0 8px}h3{font-size:14px;margin:0 0 6px}
.muted{color:var(--muted)}.small{font-size:12px}.mono,code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px;margin:0 0 12px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:7px 10px;border-bottom:1px solid var(--line);vertical-align:middle}
th{font-size:12px;color:var(--muted);font-weight:600;white-space:nowrap}
tbody tr:last-child td{border-bottom:0}
.table-card{padding:0;overflow:hidden}
.nowrap,.nowrap code{white-space:nowrap}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:600;white-space:nowrap;border:1px solid transparent}
.s-passing,.o-success{color:var(--pass);background:var(--pass-bg);border-color:#aceebb}
.s-failing,.o-failure{color:var(--fail);background:var(--fail-bg);border-color:#ffcecb}
.s-flaky,.o-flaky,.s-degraded,.o-degraded{color:var(--warn);background:var(--warn-bg);border-color:#f5e0a0}
.s-prober_error,.o-error{color:var(--err);background:var(--err-bg);border-color:#e8d0fb}
.s-no_data{color:var(--none);background:var(--none-bg)}
.spark{color:#57606a;vertical-align:middle}.dot-failure{fill:var(--fail)}.dot-error{fill:var(--err)}
.dot-flaky,.dot-degraded{fill:#d4a72c}
.windows{display:grid;grid-template-columns:auto;gap:1px 0}
.windows>span{white-space:nowrap}.windows .lbl{display:inline-block;width:2.4em}.windows .lbl{font-size:11px;color:var(--muted)}
.bar{display:flex;height:12px;border-radius:3px;overflow:hidden;background:var(--none-bg);min-width:120px}
.bar span{display:block;height:100%;border-right:1px solid #fff}.bar span:last-child{border-right:0}
.st-success{background:#4ac26b}.st-failure{background:var(--fail)}.st-error{background:var(--err)}.st-skipped{background:var(--skip)}
.steps td{padding:4px 8px}
.failure{border-left:4px solid var(--fail)}.failure.error{border-left-color:var(--err)}.failure.flaky{border-left-color:#d4a72c}
.failmsg{font-weight:600;margin:4px 0 8px;overflow-wrap:anywhere}
.evidence{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:12px}
.shot img{max-width:100%;max-height:360px;border:1px solid var(--line);border-radius:4px;display:block}
pre{background:#f6f8fa;border:1px solid var(--line);border-radius:6px;padding:8px;overflow:auto;max-height:240px;white-space:pre-wrap;overflow-wrap:anywhere;margin:4px 0 8px}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:0}dl.kv dt{color:var(--muted)}dl.kv dd{margin:0;overflow-wrap:anywhere}
.summary{display:flex;gap:10px;flex-wrap:wrap;margin:0 0 12px}
.summary .card{margin:0;flex:1 1 140px}.summary .big{font-size:20px;font-weight:600}
footer{color:var(--muted);font-size:12px;text-align:center;margin-top:24px}
.rank{font-size:11px;color:var(--muted)}.thin{color:var(--muted);font-style:italic}
.links a{margin-right:8px;white-space:nowrap}
.bar.scaled{background:transparent}.bar.scaled span:last-child{border-right:1px solid #fff}
tr.r-failing td:first-child{box-shadow:inset 4px 0 0 var(--fail)}tr.r-flaky td:first-child,tr.r-degraded td:first-child{box-shadow:inset 4px 0 0 #d4a72c}
tr.r-prober_error td:first-child{box-shadow:inset 4px 0 0 var(--err)}
.running{color:var(--link);background:#ddf4ff;border-color:#b6e3ff}
@media (max-width:760px){
 main{padding:10px}.evidence{grid-template-columns:1fr}
 table.rows thead{display:none}
 table.rows tr{display:block;border-bottom:1px solid var(--line);padding:6px 0}
 table.rows td{display:grid;grid-template-columns:7.5em minmax(0,1fr);column-gap:10px;border:0;padding:3px 12px;text-align:left;width:auto!important}
 table.rows td::before{content:attr(data-label);color:var(--muted);font-size:12px;grid-column:1;grid-row:1 / span 4;padding-top:2px}
 table.rows td>*{grid-column:2}table.rows td>.badge{justify-self:start}
 table.rows td.num{text-align:left}
}
`;

export interface PageOptions {
  readonly title: string;
  readonly body: HtmlValue;
  /** When the page was rendered (ms since epoch). */
  readonly now: number;
  /** Seconds between automatic reloads; 0 for none. Default 30. */
  readonly refreshSeconds?: number;
}

/** The HTML document around every page: no script, one inline stylesheet, auto refresh. */
export function page(options: PageOptions): SafeHtml {
  const refresh = options.refreshSeconds ?? 30;
  const rendered = new Date(options.now).toISOString().slice(0, 19).replace('T', ' ');
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        ${refresh > 0 ? html`<meta http-equiv="refresh" content="${refresh}" />` : ''}
        <title>${options.title} · journey-prober</title>
        <style>
          ${trustedHtml(STYLESHEET)}
        </style>
      </head>
      <body>
        <header class="top">
          <a href="/">journey-prober</a><span class="sub">synthetic journeys of the subscription portal</span>
        </header>
        <main>
          ${options.body}
          <footer>
            Rendered ${rendered} UTC${refresh > 0 ? html` · refreshes every ${refresh} s` : ''} ·
            <a href="/api/runs">/api/runs</a>
          </footer>
        </main>
      </body>
    </html> `;
}

/** A state or outcome badge; `cssClass` picks the colour. */
export function badge(cssClass: string, text: string): SafeHtml {
  return html`<span class="badge ${cssClass}">${text}</span>`;
}
