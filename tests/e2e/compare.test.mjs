// End to end: the POP3 vs IMAP page (compare.html) in Debian's Chromium. Every lesson is
// played to its end with the step button and its outcome table checked against what the
// RFCs say must happen; the script editor, share links, a bad link, the keyboard and
// accessibility are checked too. Screenshots go to target/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { settle, seriousAxeViolations, watch, servedPages } from './support.mjs';

const SHOTS = 'target/screenshots';
const problems = [];
// The built pages and Chromium, for every test of this file.
const run = servedPages(SHOTS);

// A new context per page: a fresh browser, nothing shared between tests.
async function open(hash = '', options = {}) {
  const context = await run.browser.newContext({ viewport: options.viewport ?? { width: 1920, height: 1080 }, colorScheme: options.colorScheme ?? 'light' });
  const page = await context.newPage();
  watch(page, problems);
  await page.goto(`${run.server.url}compare.html${hash}`);
  await page.waitForSelector('.compare__column');
  return page;
}

const caption = (page) => page.locator('.compare__outcome caption').innerText();
// The outcome table's row for a protocol: [on server, on phone, on laptop, read state agrees].
const row = async (page, key) =>
  (await page.locator(`.compare__outcome tr[data-protocol=${key}] td`).allInnerTexts()).slice(0, 4);
const changes = (page, key) => page.locator(`.compare__column[data-protocol=${key}] .compare__changes`).innerText();
const wire = (page, key) => page.locator(`.compare__column[data-protocol=${key}] .compare__wire`).innerText();

// What each lesson must end with, by the RFCs' rules (the native tests in
// crates/sim/tests/compare.rs check the same outcomes step by step).
const LESSONS = {
  // RFC 1939 §6: download-and-delete removes everything at QUIT; the laptop finds nothing.
  'two-devices': { steps: 5, pop3: ['0', '3', '0', '—'], imap: ['3', '3', '3', 'yes'] },
  // POP3 has no flags: read and delete stay on the phone; IMAP shares both.
  'leave-a-copy': { steps: 7, pop3: ['2', '1', '2', 'no'], imap: ['1', '1', '1', 'yes'] },
  'read-and-delete': { steps: 7, pop3: ['2', '2', '1', 'no'], imap: ['1', '1', '1', 'yes'] },
  // Back online, the IMAP phone resynchronises (CONDSTORE) and sends its offline \Seen.
  'offline': { steps: 9, pop3: ['3', '3', '1', 'no'], imap: ['2', '2', '2', 'yes'] },
  // Folders live on the IMAP server (one message moved to Work); POP3 has one maildrop.
  'folders': { steps: 6, pop3: ['2', '2', '2', 'yes'], imap: ['2', '2', '2', 'yes'] },
};

test('every lesson plays to its end with the outcome the RFCs require', async () => {
  const page = await open();
  for (const [key, want] of Object.entries(LESSONS)) {
    await page.selectOption('[data-control=preset]', key);
    await settle(page);
    assert.equal(await caption(page), `After step 1 of ${want.steps}`, key);
    for (let i = 2; i <= want.steps; i++) {
      await page.click('[data-control=forward]');
      await settle(page);
      assert.equal(await caption(page), `After step ${i} of ${want.steps}`, key);
      assert.equal(await page.locator('.compare__chip--current').count(), 1);
    }
    assert.equal(await page.locator('[data-control=forward]').isDisabled(), true);
    assert.deepEqual(await row(page, 'pop3'), want.pop3, `${key}: POP3`);
    assert.deepEqual(await row(page, 'imap'), want.imap, `${key}: IMAP`);
    await page.screenshot({ path: `${SHOTS}/compare-${key}-1920x1080.png` });
  }
  await page.context().close();
});

test('stepping shows what changed and what was sent, in both worlds', async () => {
  const page = await open('#compare=two-devices');
  // Step 4: the phone checks. POP3 deletes at QUIT; IMAP leaves the mailbox as it was.
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await settle(page);
  assert.equal(await caption(page), 'After step 4 of 5');
  assert.match(await changes(page, 'pop3'), /deleted at QUIT \(download and delete\) — the laptop never saw it/);
  assert.match(await wire(page, 'pop3'), /C: DELE 1[\s\S]*C: QUIT/);
  assert.equal(await page.locator('.compare__column[data-protocol=pop3] .compare__server .compare__item--gone').count(), 3);
  assert.match(await wire(page, 'imap'), /C: A\d+ UID FETCH .*BODY\.PEEK\[\]/);
  await page.keyboard.press('ArrowLeft');
  await settle(page);
  assert.equal(await caption(page), 'After step 3 of 5');
  await page.keyboard.press('End');
  await settle(page);
  assert.equal(await caption(page), 'After step 5 of 5');
  assert.match(await changes(page, 'pop3'), /maildrop is empty/);
  await page.keyboard.press('Home');
  await settle(page);
  assert.equal(await caption(page), 'After step 1 of 5');
  // The chips jump too.
  await page.locator('.compare__chip').nth(3).click();
  await settle(page);
  assert.equal(await caption(page), 'After step 4 of 5');
  // Read on one, seen on the other: the idle laptop is told at once.
  await page.selectOption('[data-control=preset]', 'read-and-delete');
  await settle(page);
  for (let i = 0; i < 4; i++) await page.click('[data-control=forward]');
  await settle(page);
  assert.match(await changes(page, 'imap'), /Laptop: “Lunch on Friday\?” is read — told at once by IDLE/);
  assert.match(await changes(page, 'pop3'), /on this device only: POP3 has no flags/);
  assert.match(await wire(page, 'imap'), /S: \* 1 FETCH \(UID 1 FLAGS \(\\Seen\)/);
  await page.context().close();
});

test('edit the script, share it, and open the link in a fresh browser', async () => {
  const page = await open();
  await page.check('[data-control=keep]');
  await settle(page);
  assert.match(await page.locator('.compare__column[data-protocol=pop3] .compare__title').innerText(), /leave a copy/);
  assert.match(await page.locator('.topbar__scenario').innerText(), /your own script/);
  await page.selectOption('[data-control=add]', 'pr');
  await settle(page);
  assert.equal(await page.locator('.compare__chip').count(), 6);
  assert.match(await page.locator('.compare__chip').last().innerText(), /6 · phone reads a message/);
  await page.click('[data-control=remove]');
  await settle(page);
  await page.selectOption('[data-control=add]', 'lf');
  await settle(page);
  await page.click('[data-action=share]');
  const link = await page.locator('.banner__link').inputValue();
  assert.match(link, /compare\.html#compare=keep=1;n\.n\.n\.pc\.lc\.lf$/);
  const student = await open(link.slice(link.indexOf('#')));
  assert.equal(await student.locator('.compare__chip').count(), 6);
  await student.keyboard.press('End');
  await settle(student);
  // Filed in Work: still on the server, and in Work on both devices (folders live there).
  assert.deepEqual(await row(student, 'imap'), ['3', '3', '3', 'yes']);
  assert.match(await changes(student, 'imap'), /moved to Work/);
  await student.context().close();
  await page.context().close();
});

test('a bad comparison link shows a banner and the first lesson', async () => {
  const page = await open('#compare=keep=0;n.zz');
  assert.match(await page.locator('.banner--warning').innerText(), /could not be opened.*“zz” is not an action/);
  assert.equal(await page.locator('[data-control=preset]').inputValue(), 'two-devices');
  await page.screenshot({ path: `${SHOTS}/compare-bad-link-1920x1080.png` });
  await page.context().close();
});

test('dark, tablet and projector views render; the explorer link works', async () => {
  const dark = await open('#compare=offline', { colorScheme: 'dark' });
  for (let i = 0; i < 8; i++) await dark.keyboard.press('ArrowRight');
  await settle(dark);
  await dark.screenshot({ path: `${SHOTS}/compare-offline-1920x1080-dark.png` });
  await dark.click('[data-action=projector]');
  await settle(dark);
  assert.equal(await dark.evaluate(() => getComputedStyle(document.documentElement).fontSize), '22px');
  await dark.screenshot({ path: `${SHOTS}/compare-offline-projector-dark.png` });
  await dark.context().close();
  const tablet = await open('#compare=folders', { viewport: { width: 1024, height: 768 } });
  await tablet.keyboard.press('End');
  await settle(tablet);
  await tablet.screenshot({ path: `${SHOTS}/compare-folders-1024x768.png`, fullPage: true });
  await tablet.click('[data-view=explore]');
  await tablet.waitForSelector('.transcript__step--current');
  assert.equal(await tablet.locator('[data-view=explore]').getAttribute('aria-current'), 'page');
  await tablet.context().close();
});

test('axe finds no serious or critical accessibility problem on the comparison', async () => {
  const page = await open('#compare=read-and-delete');
  await page.keyboard.press('End');
  await settle(page);
  assert.deepEqual(await seriousAxeViolations(page), []);
  await page.context().close();
});

test('no page or console errors on the comparison page', () => {
  assert.deepEqual(problems, []);
});
