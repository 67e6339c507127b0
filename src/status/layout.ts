import { html, trustedHtml, type HtmlValue, type SafeHtml } from './html.js';
import { STYLESHEET } from './style.js';

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

/** A state or outcome badge; `kind` picks the colour class. */
export function badge(cssClass: string, text: string): SafeHtml {
  return html`<span class="badge ${cssClass}">${text}</span>`;
}
