// End to end: share and resume. A share link opens at the step on screen, a reload after
// Share stays where the class is, Copy copies, a very long link gets a word of caution, any
// fragment that is not a link gets the same clear message, a link shown before a change is
// no longer offered as current, and an invalid address is said beside its field while the
// story stays. Screenshots go to target/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settle, watch, servedPages } from './support.mjs';

const SHOTS = 'target/screenshots';
const problems = [];
// The built pages and Chromium, for every test of this file.
const run = servedPages(SHOTS);

// A fresh browser (nothing saved) at 1280x720, on `path`.
async function open(path = '', options = {}) {
  const context = await run.browser.newContext({ viewport: { width: 1280, height: 720 }, ...options });
  const page = await context.newPage();
  watch(page, problems);
  await page.goto(run.server.url + path);
  await page.waitForSelector(path.startsWith('compare') ? '.compare__column' : '.transcript__step--current');
  return page;
}

const position = (page) => page.locator('.controls__position').innerText();
const total = async (page) => Number((await position(page)).split(' of ')[1]);
const forward = async (page, n) => {
  for (let i = 0; i < n; i++) await page.keyboard.press('ArrowRight');
  await settle(page);
};
const choose = async (page, menu, label) => {
  await page.click(`[data-action=${menu}] > summary`);
  await page.locator(`[data-action=${menu}] .menu__item`, { hasText: label }).first().click();
  await settle(page);
};

test('a share link opens at the step on screen, and a reload after Share stays there', async () => {
  const page = await open();
  await forward(page, 12);
  const n = await total(page);
  assert.equal(await position(page), `Step 13 of ${n}`);
  await page.click('[data-action=share]');
  const link = await page.locator('.banner__link').inputValue();
  assert.match(link, /#s=v1\.[A-Za-z0-9_-]+&step=13$/);
  assert.equal(await page.evaluate(() => location.hash), link.slice(link.indexOf('#')));
  await page.screenshot({ path: `${SHOTS}/share-banner-1280x720.png` });
  // A student's fresh browser opens at step 13.
  const student = await open(link.slice(run.server.url.length));
  assert.equal(await position(student), `Step 13 of ${n}`);
  await student.context().close();
  // The teacher goes on, then reloads: the class stays where it was, not at step 1.
  await forward(page, 4);
  assert.match(await page.evaluate(() => location.hash), /&step=17$/);
  await page.reload();
  await page.waitForSelector('.transcript__step--current');
  assert.equal(await position(page), `Step 17 of ${n}`);
  await page.context().close();
});

test('Copy puts the link on the clipboard', async () => {
  const page = await open('', { permissions: ['clipboard-read', 'clipboard-write'] });
  await forward(page, 2);
  await page.click('[data-action=share]');
  const link = await page.locator('.banner__link').inputValue();
  await page.click('[data-action=copy]');
  await settle(page);
  assert.equal(await page.locator('[data-action=copy]').innerText(), 'Copied ✓');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
  // The banner closes, and Share gives a fresh one.
  await page.click('.banner--share .banner__close');
  assert.equal(await page.locator('.banner--share').count(), 0);
  await page.click('[data-action=share]');
  assert.equal(await page.locator('[data-action=copy]').innerText(), 'Copy');
  await page.context().close();
});

test('a very long link comes with a word of caution', async () => {
  const page = await open();
  await page.click('[data-action=share]');
  assert.equal(await page.locator('.banner__note--long').count(), 0, 'the classroom link is short');
  await page.click('[data-action=compose]');
  const body = 'A long message for the class. '.repeat(200_000 / 30);
  await page.locator('[name=body]').fill(body);
  await page.click('[data-action=send]');
  await page.waitForFunction(() => !document.querySelector('.scenario'), null, { timeout: 60_000 });
  await page.click('[data-action=share]');
  const link = await page.locator('.banner__link').inputValue();
  assert.ok(link.length > 200_000, `${link.length}`);
  const note = await page.locator('.banner__note--long').innerText();
  assert.match(note, new RegExp(`This link is ${link.length.toLocaleString('en-US')} characters long`));
  await page.screenshot({ path: `${SHOTS}/share-long-link-1280x720.png` });
  await page.context().close();
});

test('#garbage and #s=garbage get the same clear message, once', async () => {
  for (const hash of ['#garbage', '#s=garbage']) {
    const page = await open(hash);
    const banner = await page.locator('.banner--warning').innerText();
    assert.match(banner, /^The shared link could not be opened\. .* Showing the classroom example instead\./, hash);
    assert.equal(await position(page), `Step 1 of ${await total(page)}`);
    await page.screenshot({ path: `${SHOTS}/share-bad-link-${hash.slice(1).replace('=', '-')}-1280x720.png` });
    // Said once: the address no longer carries it, so a reload opens quietly.
    assert.equal(await page.evaluate(() => location.hash), '');
    await page.reload();
    await page.waitForSelector('.transcript__step--current');
    assert.equal(await page.locator('.banner--warning').count(), 0, hash);
    await page.context().close();
  }
  const compare = await open('compare.html#garbage');
  assert.match(await compare.locator('.banner--warning').innerText(), /^The shared comparison could not be opened\. “#garbage” is not a comparison link\./);
  await compare.context().close();
});

test('after a fault or an action changes the story, the link shown before is gone', async () => {
  const page = await open();
  await forward(page, 4);
  await page.click('[data-action=share]');
  assert.equal(await page.locator('.banner--share').count(), 1);
  await choose(page, 'inject', 'greylists');
  assert.equal(await page.locator('.banner--share').count(), 0);
  assert.equal(await page.evaluate(() => location.hash), '');
  // Share again: the new link opens the story with the fault.
  await page.click('[data-action=share]');
  const link = await page.locator('.banner__link').inputValue();
  await choose(page, 'bob', 'the laptop checks mail');
  assert.equal(await page.locator('.banner--share').count(), 0);
  const student = await open(link.slice(run.server.url.length));
  assert.match(await student.locator('.topbar__scenario').innerText(), /· 1 fault$/);
  await student.context().close();
  // On the comparison too: an edited script retires its link.
  const compare = await open('compare.html');
  await compare.click('[data-action=share]');
  assert.match(await compare.evaluate(() => location.hash), /^#compare=/);
  await compare.check('[data-control=keep]');
  await settle(compare);
  assert.equal(await compare.locator('.banner--share').count(), 0);
  assert.equal(await compare.evaluate(() => location.hash), '');
  await compare.context().close();
  await page.context().close();
});

test('an invalid From address keeps the page and is said beside the field', async () => {
  const page = await open();
  await forward(page, 5);
  const before = await position(page);
  await page.click('[data-action=compose]');
  await page.fill('[name=from]', 'alice@');
  await page.click('[data-action=send]');
  await settle(page);
  // The explorer is still there, on the same step; the panel stays open with the problem.
  assert.equal(await position(page), before);
  assert.equal(await page.locator('.diagram__step--current').count(), 1);
  const error = page.locator('.scenario__mail .scenario__error');
  assert.match(await error.innerText(), /"alice@" is not a valid sender address: write it as name@domain/);
  assert.equal(await page.getAttribute('[name=from]', 'aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.name), 'from');
  // Beside the field: right under From, above To.
  const [from, message, to] = await Promise.all(['[name=from]', '.scenario__error', '[name=to]']
    .map((s) => page.locator(s).evaluate((el) => el.getBoundingClientRect().top)));
  assert.ok(from < message && message < to, JSON.stringify([from, message, to]));
  await page.screenshot({ path: `${SHOTS}/compose-invalid-from-1280x720.png` });
  // Corrected, it goes.
  await page.fill('[name=from]', 'alice@example.org');
  await page.fill('[name=subject]', 'Corrected');
  await page.click('[data-action=send]');
  await settle(page);
  assert.equal(await page.locator('.scenario').count(), 0);
  assert.match(await page.locator('.transcript').innerText(), /Subject: Corrected/);
  await page.context().close();
});

test('no page or console errors while sharing', () => {
  assert.deepEqual(problems, []);
});
