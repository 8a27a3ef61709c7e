// End to end: every page for every reader. axe-core finds no serious or critical problem on
// the three pages, light and dark, projector mode on and off, with the compose panel open;
// the keyboard reaches the controls at once; the compose panel takes the focus and gives it
// back; theme and projector mode survive a reload. Screenshots go to target/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settle, seriousAxeViolations, watch, servedPages } from './support.mjs';

const SHOTS = 'target/screenshots';
const problems = [];
// The built pages and Chromium, for every test of this file.
const run = servedPages(SHOTS);

// A fresh browser (nothing saved) at 1280x720 on `path`.
async function open(path, options = {}) {
  const context = await run.browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 720 }, colorScheme: options.colorScheme ?? 'light' });
  const page = await context.newPage();
  watch(page, problems);
  await page.goto(run.server.url + path);
  await page.waitForSelector('.topbar');
  await settle(page);
  return page;
}

const PAGES = [
  ['explorer', '', '.transcript__step--current'],
  ['compare', 'compare.html#compare=folders', '.compare__column'],
  ['lab', 'lab.html', '.lab__table'],
  ['log', 'log.html', '#log-text'],
  // Served without the bridge: the page says how to start live mode.
  ['live', 'live.html', '.live__nobridge'],
  // Last: the reload test below expects the console to be the last page it opens.
  ['console', 'console.html', '.console__line'],
];

for (const [name, path, ready] of PAGES) {
  test(`axe: the ${name} page, light and dark, projector on and off${name === 'explorer' ? ', compose open' : ''}`, async () => {
    const found = [];
    for (const colorScheme of ['light', 'dark']) {
      const page = await open(path, { colorScheme });
      await page.waitForSelector(ready);
      for (const projector of [false, true]) {
        if (projector) {
          await page.click('[data-action=projector]');
          await settle(page);
        }
        const composeStates = name === 'explorer' ? [false, true] : [false];
        for (const compose of composeStates) {
          if (compose) {
            await page.click('[data-action=compose]');
            await page.waitForSelector('.scenario');
          }
          const label = `${colorScheme}${projector ? ' projector' : ''}${compose ? ' compose' : ''}`;
          for (const v of await seriousAxeViolations(page)) found.push(`${label}: ${v}`);
          await page.screenshot({ path: `${SHOTS}/access-${name}-${label.replace(/ /g, '-')}.png` });
          if (compose) {
            await page.keyboard.press('Escape');
            await settle(page);
          }
        }
      }
      await page.context().close();
    }
    assert.deepEqual(found, []);
  });
}

test('the bar\'s switches say their state on the button, and survive a reload on every page', async () => {
  const page = await open('');
  const root = () => page.evaluate(() => [document.documentElement.dataset.theme, document.documentElement.dataset.projector ?? null]);
  const pressed = async () => [
    await page.getAttribute('[data-action=theme]', 'aria-pressed'),
    await page.getAttribute('[data-action=projector]', 'aria-pressed'),
    await page.evaluate(() => document.body.getAttribute('aria-pressed')),
  ];
  assert.deepEqual(await root(), ['light', null]);
  assert.deepEqual(await pressed(), ['false', 'false', null]);
  await page.click('[data-action=projector]');
  await page.click('[data-action=theme]');
  assert.deepEqual(await root(), ['dark', 'on']);
  // The button pressed carries aria-pressed, never <body>.
  assert.deepEqual(await pressed(), ['true', 'true', null]);
  await page.reload();
  await page.waitForSelector('.transcript__step--current');
  assert.deepEqual(await root(), ['dark', 'on']);
  assert.deepEqual(await pressed(), ['true', 'true', null]);
  // The other pages open the same way.
  for (const [, path, ready] of PAGES.slice(1)) {
    await page.goto(run.server.url + path);
    await page.waitForSelector(ready);
    assert.deepEqual(await root(), ['dark', 'on'], path);
    assert.deepEqual(await pressed(), ['true', 'true', null], path);
  }
  await page.screenshot({ path: `${SHOTS}/access-console-kept-dark-projector-1280x720.png` });
  // Off again, and still off after a reload.
  await page.click('[data-action=projector]');
  await page.click('[data-action=theme]');
  await page.reload();
  await page.waitForSelector('.console__line');
  assert.deepEqual(await root(), ['light', null]);
  await page.context().close();
  // A dark system with nothing chosen yet: dark, and the switch says so.
  const dark = await open('', { colorScheme: 'dark' });
  assert.equal(await dark.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.equal(await dark.getAttribute('[data-action=theme]', 'aria-pressed'), 'true');
  await dark.click('[data-action=theme]');
  assert.equal(await dark.evaluate(() => document.documentElement.dataset.theme), 'light');
  await dark.context().close();
});

test('the keyboard: a skip link to the controls, and Step in a few Tab presses without it', async () => {
  const page = await open('');
  await page.waitForSelector('.transcript__step--current');
  // The first Tab shows the skip link; Enter puts the focus on Step.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip');
  assert.ok(await page.evaluate(() => document.activeElement.getBoundingClientRect().top >= 0), 'the skip link shows when focused');
  await page.screenshot({ path: `${SHOTS}/access-skip-link-1280x720.png` });
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.action), 'step');
  await page.keyboard.press('Enter');
  await settle(page);
  assert.match(await page.locator('.controls__position').innerText(), /^Step 2 of /);
  // Without it: the bar, the explanation's link, the transcript's one stop, then the controls.
  await page.reload();
  await page.waitForSelector('.transcript__step--current');
  let presses = 0;
  while (presses < 40) {
    await page.keyboard.press('Tab');
    presses += 1;
    if (await page.evaluate(() => document.activeElement.dataset.action === 'step')) break;
  }
  console.log(`# Tab presses to reach Step: ${presses}`);
  // The bar (four views, More, the page's five buttons, Share, the two switches, the
  // language), the explanation's link, the transcript, its byte switch: about twenty.
  assert.ok(presses <= 21, `${presses} Tab presses to reach Step`);
  // The transcript is one stop: its current step.
  assert.equal(await page.locator('.transcript__select[tabindex="0"]').count(), 1);
  assert.equal(await page.locator('.transcript__step--current .transcript__select').getAttribute('tabindex'), '0');
  await page.context().close();
});

test('compose: the focus goes into the panel, Escape closes it and gives the focus back', async () => {
  const page = await open('');
  await page.waitForSelector('.transcript__step--current');
  await page.focus('[data-action=compose]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.scenario');
  await settle(page);
  assert.equal(await page.evaluate(() => document.activeElement.closest('.scenario') !== null), true);
  assert.equal(await page.evaluate(() => document.activeElement.name), 'from');
  assert.equal(await page.getAttribute('[data-action=compose]', 'aria-expanded'), 'true');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Escape');
  await settle(page);
  assert.equal(await page.locator('.scenario').count(), 0);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.action), 'compose');
  assert.equal(await page.getAttribute('[data-action=compose]', 'aria-expanded'), 'false');
  // The close button does the same, and so does sending.
  await page.click('[data-action=compose]');
  await page.click('.scenario__close');
  await settle(page);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.action), 'compose');
  await page.click('[data-action=compose]');
  await page.fill('[name=subject]', 'Focus test');
  await page.click('[data-action=send]');
  await settle(page);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.action), 'compose');
  await page.context().close();
});

test('transcript lines are named by what they show', async () => {
  const page = await open('');
  await page.waitForSelector('.transcript__step--current');
  // No aria-label hides the command: the button's name is its text.
  assert.equal(await page.locator('.transcript__select[aria-label]').count(), 0);
  const auth = page.locator('.transcript__step', { hasText: 'AUTH PLAIN' }).first().locator('.transcript__select');
  assert.match(await auth.innerText(), /AUTH PLAIN/);
  await page.context().close();
});

test('no page or console errors for any reader', () => {
  assert.deepEqual(problems, []);
});
