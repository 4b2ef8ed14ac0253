/**
 * Launcher styles. `all: initial !important` on the host beats any host-page rule aimed at our
 * element (an `!important` inside the shadow wins over one outside); nothing else reaches in.
 * Open-state rules live in the panel's sheet: an open panel implies that its chunk has loaded.
 */
export const launcherCss = `:host{all:initial!important;position:fixed!important;z-index:var(--pv-z)!important}
.pv-l{border:0;padding:0;position:fixed;bottom:20px;right:20px;width:56px;height:56px;border-radius:50%;background:var(--pv-color);color:var(--pv-on-color);display:grid;place-items:center;cursor:pointer;box-shadow:0 6px 20px #0f172a40}
.pv-left .pv-l{right:auto;left:20px}
.pv-l:focus-visible{outline:3px solid var(--pv-color);outline-offset:3px}
.pv-l svg{width:26px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round}
`;

/** Readable text colour on a site-chosen background (perceived brightness, ITU-R BT.601). */
export function textOn(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return r! * 0.299 + g! * 0.587 + b! * 0.114 > 160 ? '#111827' : '#fff';
}

/** Adds a stylesheet to a shadow root without inline `<style>`, so a strict CSP needs no change. */
export function adoptCss(root: ShadowRoot, css: string): CSSStyleSheet {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  return sheet;
}
