// What the end-to-end test files share: how Chromium is started, waiting for a render, and
// the accessibility check.

export const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-dev-shm-usage'],
};

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
