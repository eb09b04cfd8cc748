// Accessibility and layout checks shared by the browser scenarios (run.mjs):
//
// - `axeViolations` runs axe-core (WCAG 2.0, 2.1 and 2.2 levels A and AA, and axe's best
//   practices) on the page as it is and returns each violation with its rule, help text and
//   offending selectors; no rule is left out;
// - `overflow` says whether the page scrolls sideways at the current viewport width, and which
//   elements stick out;
// - `focusState` and `tabTo` drive and check keyboard focus: every element that receives focus
//   must show it (an outline or a box shadow).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');

// WCAG 2.0, 2.1 and 2.2, levels A and AA; and axe's best practices, which hold the checks of
// landmarks (one main, unique names, all content inside one), of the order of headings and of
// empty table headers, none of which WCAG's tags cover.
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

// Each violation of the page, as { id, impact, help, nodes: [{ target, summary }] }.
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ path: axePath });
  }
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
      elementRef: true,
    });
    // WCAG 2.2's target size (2.5.8) excepts a target whose function another control on the
    // page meets at the required size ("Equivalent"): the markers of actors close together on
    // the map overlap, and the table under the map links every one of those actors. So the size
    // of map markers is not counted against the map; every other rule still checks them.
    const excepted = (v, n) => v.id === 'target-size' && n.element?.classList.contains('actor-marker');
    return r.violations
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes
          .filter((n) => !excepted(v, n))
          .map((n) => ({ target: n.target.join(' '), summary: n.failureSummary || '' })),
      }))
      .filter((v) => v.nodes.length > 0);
  }, AXE_TAGS);
}

// One line per violation and one per offending element, for the report.
export function describeViolations(where, violations) {
  const lines = [];
  for (const v of violations) {
    lines.push(`axe ${v.id} (${v.impact}) on ${where}: ${v.help}`);
    for (const n of v.nodes.slice(0, 8)) {
      lines.push(`    ${n.target}${n.summary ? `  — ${n.summary.replace(/\s+/g, ' ').slice(0, 200)}` : ''}`);
    }
    if (v.nodes.length > 8) lines.push(`    … and ${v.nodes.length - 8} more`);
  }
  return lines;
}

// Whether the page is wider than the window (a sideways scroll), with the elements that stick out
// past the right edge outside any element that scrolls by itself.
export async function overflow(page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    if (scrollWidth <= width) return null;
    const scrollsItself = (e) => {
      for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
      }
      return false;
    };
    const culprits = [];
    for (const e of document.body.querySelectorAll('*')) {
      const r = e.getBoundingClientRect();
      // An element past the right edge, or one whose own content spills past it (a <pre>).
      const spills = getComputedStyle(e).overflowX === 'visible' && r.left + e.scrollWidth > width + 1;
      if (((r.right > width + 1 && r.width > 0) || spills) && !scrollsItself(e)) {
        culprits.push(e);
      }
    }
    // The innermost ones say the most: leave out an element that holds another culprit.
    const innermost = culprits.filter((e) => !culprits.some((c) => c !== e && e.contains(c)));
    const name = (e) =>
      e.tagName.toLowerCase() + (e.id ? `#${e.id}` : '') + (e.classList.length ? `.${[...e.classList].join('.')}` : '');
    return {
      scrollWidth,
      width,
      culprits: innermost.slice(0, 6).map((e) => `${name(e)} (right edge ${Math.round(e.getBoundingClientRect().right)}px): ${(e.textContent || '').trim().slice(0, 60)}`),
    };
  });
}

// The focused element, and whether its focus is visible: a non-zero outline or a box shadow.
export async function focusState(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body || e === document.documentElement) return null;
    const s = getComputedStyle(e);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    const shadow = s.boxShadow !== '' && s.boxShadow !== 'none';
    return {
      tag: e.tagName.toLowerCase(),
      id: e.id,
      name: e.getAttribute('name') || '',
      type: e.getAttribute('type') || '',
      role: e.getAttribute('role') || '',
      href: e.getAttribute('href') || '',
      text: (e.innerText || e.value || e.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ').slice(0, 100),
      checked: 'checked' in e ? e.checked : undefined,
      visible: outline || shadow,
      style: `outline: ${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}; box-shadow: ${s.boxShadow}`,
    };
  });
}

export function describeFocus(f) {
  return f ? `<${f.tag}${f.id ? ` id=${f.id}` : ''}${f.name ? ` name=${f.name}` : ''}${f.type ? ` type=${f.type}` : ''}> "${f.text}"` : 'nothing';
}

// Presses `key` (Tab by default) until the focused element satisfies `wanted`, checking at each
// step that something has focus and that the focus is visible. Throws after `max` presses.
export async function tabTo(page, wanted, { key = 'Tab', max = 80, what = 'the wanted element' } = {}) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const f = await focusState(page);
    if (!f) throw new Error(`after ${i + 1} × ${key} nothing has focus (on the way to ${what}; seen: ${seen.join(', ')})`);
    if (!f.visible) throw new Error(`focus is not visible on ${describeFocus(f)} (${f.style})`);
    if (wanted(f)) return f;
    seen.push(describeFocus(f));
  }
  throw new Error(`${what} not reached after ${max} × ${key}; seen: ${seen.slice(-10).join(', ')}`);
}

// Checks one page in one language, as the visitor of `page`'s context: at 1280 px and at 390 px
// wide, no sideways scroll (folded <details> opened too, since a reader may open them); the
// document's lang is the page's language; then axe at 390 px and at 1280 px, on everything
// unfolded. Saves a screenshot at each width into `shots` when given. Returns the problems
// found, as lines.
export async function checkPage(page, base, { path, lang, shots, label, ready }) {
  const problems = [];
  const sep = path.includes('?') ? '&' : '?';
  const where = `${path} [${lang}]`;
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${base}${path}${sep}lang=${lang}`);
  if (ready) await ready(page);
  const htmlLang = await page.locator('html').getAttribute('lang');
  if (htmlLang !== lang) problems.push(`lang on ${where}: <html lang="${htmlLang}">`);
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 800 });
    await settled(page);
    if (shots) await page.screenshot({ path: `${shots}/${label}-${lang}-${width}.png`, fullPage: true });
    const o = await overflow(page);
    if (o) problems.push(`overflow on ${where} at ${width} px: page ${o.scrollWidth} px wide\n    ${o.culprits.join('\n    ')}`);
  }
  await page.evaluate(() => document.querySelectorAll('details:not([open])').forEach((d) => { d.open = true; }));
  await settled(page);
  const o = await overflow(page);
  if (o) problems.push(`overflow on ${where} at 390 px, details open: page ${o.scrollWidth} px wide\n    ${o.culprits.join('\n    ')}`);
  // axe at both widths, everything unfolded: at 390 px tables scroll in their boxes (which must
  // then be keyboard regions) and targets crowd; the page's scripts see each resize first.
  const started = Date.now();
  problems.push(...describeViolations(`${where} at 390 px`, await axeViolations(page)));
  phoneAxeMs += Date.now() - started;
  await page.setViewportSize({ width: 1280, height: 800 });
  await settled(page);
  problems.push(...describeViolations(where, await axeViolations(page)));
  return problems;
}

// Time spent in axe at 390 px, for the report (the CI watches the browser step's time).
let phoneAxeMs = 0;
export const phoneAxeSeconds = () => phoneAxeMs / 1000;

// Two animation frames: the page's handlers of a resize or a toggle (run on the next frame) have
// run.
async function settled(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}
