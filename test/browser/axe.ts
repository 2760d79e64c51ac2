/**
 * axe-core run in a Chromium page, shared by the accessibility suite and the journeys that check
 * the pages they pass through. Evaluated through the DevTools protocol, which the site's
 * Content-Security-Policy does not apply to: the CSP stays on.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { DomDocument } from './dom.js';
import { ROOT } from './harness.js';

const AXE_SOURCE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

export interface AxeNode {
  target: string[];
  failureSummary?: string;
  html: string;
}
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: AxeNode[];
}

// in page.evaluate() callbacks only: they run in Chromium
declare const document: DomDocument;
declare const window: { axe: { run(ctx: DomDocument, o: object): Promise<{ violations: AxeViolation[] }> } };

export async function axe(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary, html: n.html.slice(0, 200) })),
    }));
  });
}

export function describeViolations(vs: AxeViolation[]): string {
  return vs
    .map((v) => `${v.impact}: ${v.id} (${v.help}) on ${v.nodes.length} node(s)\n` + v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')}: ${n.html}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`).join('\n'))
    .join('\n');
}

/** The violations of impact serious or critical on the page (lesser ones are printed). */
export async function severeViolations(page: Page, name: string): Promise<AxeViolation[]> {
  const violations = await axe(page);
  const severe = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of violations.filter((x) => !severe.includes(x))) console.log(`axe, ${name}: ${v.impact} ${v.id} on ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  return severe;
}
