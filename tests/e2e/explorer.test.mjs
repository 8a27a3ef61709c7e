// End to end: the release build in Debian's Chromium. Walks the whole SMTP session with the
// Step button and the keyboard, checks the DOM at every step, and saves screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serveDist } from './static-server.mjs';

const SHOTS = 'target/screenshots';
// What the simulation computes for the default scenario (crates/sim world tests agree).
const STEPS = [
  '220 mx.example.net ESMTP Postroom',
  'EHLO laptop.example.org',
  '250-mx.example.net greets laptop.example.org',
  // PIPELINING: the client sends MAIL, RCPT and DATA as one group, then reads the replies.
  'MAIL FROM:<alice@example.org> SIZE=163',
  'RCPT TO:<bob@example.net>',
  'DATA',
  '250 2.1.0 Sender OK',
  '250 2.1.5 Recipient OK',
  '354 End data with <CR><LF>.<CR><LF>',
  'From: alice@example.org',
  '250 2.0.0 Ok: message accepted (163 octets)',
  'QUIT',
  '221 2.0.0 mx.example.net closing connection',
];

let server;
let profile;
let context;
const problems = [];

before(async () => {
  server = await serveDist('dist');
  profile = await mkdtemp(join(tmpdir(), 'postroom-e2e-'));
  await mkdir(SHOTS, { recursive: true });
  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1920, height: 1080 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage'],
  });
});

after(async () => {
  await context?.close();
  await server?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

async function open(options = {}) {
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  if (options.viewport) await page.setViewportSize(options.viewport);
  if (options.colorScheme) await page.emulateMedia({ colorScheme: options.colorScheme });
  await page.goto(server.url);
  await page.waitForSelector('.transcript__step--current');
  return page;
}

const currentFirstLine = (page) =>
  page.locator('.transcript__step--current .transcript__line').first().innerText();

test('Step walks the whole SMTP session and Back returns', async () => {
  const page = await open();
  assert.equal(await page.locator('.transcript__step').count(), STEPS.length);
  await page.screenshot({ path: `${SHOTS}/explorer-1920x1080-light-step01.png` });
  for (let i = 0; i < STEPS.length; i++) {
    assert.equal(await currentFirstLine(page), STEPS[i], `step ${i + 1}`);
    assert.equal(await page.locator('.controls__position').innerText(), `Step ${i + 1} of ${STEPS.length}`);
    // The live region tells screen-reader users what changed.
    assert.match(await page.locator('[aria-live]').innerText(), new RegExp(`^Step ${i + 1} of ${STEPS.length}: `));
    if (STEPS[i].startsWith('From:')) {
      assert.match(await page.locator('.explanation__title').innerText(), /^The message itself/);
      assert.match(await page.locator('.mailbox').innerText(), /Lunch on Friday\?/);
      await page.screenshot({ path: `${SHOTS}/explorer-1920x1080-light-data.png` });
    }
    if (i + 1 < STEPS.length) await page.click('[data-action=step]');
  }
  assert.equal(await page.locator('[data-action=step]').isDisabled(), true);
  await page.screenshot({ path: `${SHOTS}/explorer-1920x1080-light-end.png` });
  await page.click('[data-action=back]');
  assert.equal(await currentFirstLine(page), STEPS[STEPS.length - 2]);
  await page.close();
});

test('the keyboard steps too: arrows, Home and End', async () => {
  const page = await open();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal(await currentFirstLine(page), STEPS[2]);
  await page.keyboard.press('ArrowLeft');
  assert.equal(await currentFirstLine(page), STEPS[1]);
  await page.keyboard.press('End');
  assert.equal(await currentFirstLine(page), STEPS.at(-1));
  await page.keyboard.press('Home');
  assert.equal(await currentFirstLine(page), STEPS[0]);
  // Clicking a transcript line jumps to it.
  await page.locator('.transcript__select').nth(5).click();
  assert.equal(await currentFirstLine(page), 'DATA');
  assert.match(await page.locator('.explanation__rfc a').getAttribute('href'), /rfc5321#section-4\.1\.1\.4$/);
  await page.close();
});

test('dark theme and a tablet-sized screen render without errors', async () => {
  const dark = await open({ colorScheme: 'dark' });
  for (let i = 0; i < 9; i++) await dark.keyboard.press('ArrowRight');
  await dark.screenshot({ path: `${SHOTS}/explorer-1920x1080-dark-data.png` });
  await dark.close();
  const tablet = await open({ viewport: { width: 1024, height: 768 } });
  for (let i = 0; i < 3; i++) await tablet.keyboard.press('ArrowRight');
  assert.equal(await currentFirstLine(tablet), STEPS[3]);
  await tablet.screenshot({ path: `${SHOTS}/explorer-1024x768-light-step04.png` });
  await tablet.close();
});

test('no page or console errors in any of the runs', () => {
  assert.deepEqual(problems, []);
});
