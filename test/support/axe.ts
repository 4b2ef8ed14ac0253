import axe, { type AxeResults, type RunOptions } from 'axe-core';
import type { Page } from 'playwright-core';

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

const WCAG_AA: RunOptions = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  resultTypes: ['violations'],
};

/**
 * axe-core's WCAG 2.1 A/AA checks on what the page shows now (or only `within` a selector's
 * element, shadow roots included). Injected through the DevTools
 * protocol, so the console's CSP (no inline scripts) stays as it is.
 */
export async function axeViolations(page: Page, within?: string): Promise<AxeViolation[]> {
  await page.evaluate(axe.source);
  const results: AxeResults = await page.evaluate(
    ([options, selector]) => {
      const runner = (window as unknown as { axe: typeof axe }).axe;
      return selector ? runner.run(selector, options) : runner.run(options);
    },
    [WCAG_AA, within] as const,
  );
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact ?? null,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(' ')),
  }));
}
