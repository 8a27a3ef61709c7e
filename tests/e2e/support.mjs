// What the end-to-end test files share: how Chromium is started, the built pages served,
// waiting for a render, and the accessibility check.
import { before, after } from 'node:test';
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { serveDist } from './static-server.mjs';

export const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-dev-shm-usage'],
};

// dist/ served and Chromium started before a file's tests, both closed after them; the
// screenshots' folder made. `run.server.url` and `run.browser` once the tests run.
export function servedPages(shots) {
  const run = { server: null, browser: null };
  before(async () => {
    run.server = await serveDist('dist');
    await mkdir(shots, { recursive: true });
    run.browser = await chromium.launch(CHROMIUM);
  });
  after(async () => {
    await run.browser?.close();
    await run.server?.close();
  });
  return run;
}

// Keeps what goes wrong in `page` (an uncaught error, a console error) in `problems`, which
// each file's last test expects empty.
export function watch(page, problems) {
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
}

// The app renders after an event has been handled, so a busy machine can read the page too
// early: let a frame and a task pass after each input before reading it.
export const settle = (page) =>
  page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0))));

// axe-core run in the page: its serious and critical violations, one line each. The check
// that a control's name contains its visible text is experimental in axe, so it is asked for.
export async function seriousAxeViolations(page) {
  await page.addScriptTag({ path: 'node_modules/axe-core/axe.min.js' });
  const results = await page.evaluate(async () => await window.axe.run(document, {
    rules: { 'label-content-name-mismatch': { enabled: true } },
  }));
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
}

// The English catalogue's sentences, as fragments of at least three words between the values
// a text puts in: none may be on a page in another language, where that language's own text
// differs (a fragment the same in both, such as a protocol's name, is no English left over).
export function englishFragments(lang) {
  const read = (l) => Object.fromEntries(readFileSync(`static/i18n/${l}.txt`, 'utf8')
    .split('\n').filter((line) => /^[a-z0-9._-]+\s*=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')).trim(), line.slice(line.indexOf('=') + 1).trim()]));
  const en = read('en');
  const other = read(lang);
  const fragments = new Set();
  for (const [id, text] of Object.entries(en)) {
    if (other[id] === text) continue;
    // Values and plural forms out: what is left is the text's own words.
    for (const part of text.split(/\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}/)) {
      const words = part.trim().replace(/^[\s,.:;—–-]+|[\s,.:;—–-]+$/g, '');
      const long = words.split(/\s+/).length >= 3 || /'s \w/.test(words);
      if (long && !(other[id] ?? '').includes(words)) fragments.add(words);
    }
  }
  // A text's id shown in its place means no catalogue had it, English included.
  for (const id of Object.keys(en)) if (id.includes('.')) fragments.add(id);
  return [...fragments];
}
