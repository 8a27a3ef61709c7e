// End to end: the log page (log.html) in Debian's Chromium. Real logs from the fixtures are
// pasted (through the clipboard, as a student does), dropped and chosen as files; the session
// is stepped through with the explorer's controls and keys; passwords stay hidden until
// revealed; findings cite their rule and go to their step; a megabyte paste is timed; a text
// that is no log says what is understood. Screenshots go to target/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { settle, seriousAxeViolations, watch, servedPages } from './support.mjs';

const SHOTS = 'target/screenshots';
const FIXTURES = 'tests/fixtures/logs';
const HIDDEN = '••••••••';
const problems = [];
// The built pages and Chromium, for every test of this file.
const run = servedPages(SHOTS);

const fixture = (name) => readFile(`${FIXTURES}/${name}`, 'utf8');

// A fresh browser (nothing saved) on the log page, 1280x720 unless asked otherwise.
async function open(path = 'log.html', options = {}) {
  const context = await run.browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 720 },
    colorScheme: options.colorScheme ?? 'light',
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = await context.newPage();
  watch(page, problems);
  await page.goto(run.server.url + path);
  await page.waitForSelector('.topbar');
  await settle(page);
  return page;
}

// Pastes `text` into the text area as a student does: on the clipboard, then Ctrl+V.
async function paste(page, text) {
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.locator('#log-text').fill('');
  await page.focus('#log-text');
  await page.keyboard.press('Control+V');
}

// Pastes a log and waits for its session; returns the milliseconds from Ctrl+V to the diagram.
async function pasteLog(page, text) {
  if (await page.locator('[data-action=edit]').count()) {
    await page.click('[data-action=edit]');
    await page.waitForSelector('#log-text');
  }
  const started = Date.now();
  await paste(page, text);
  await page.waitForSelector('.diagram__step--current', { timeout: 60000 });
  const took = Date.now() - started;
  await settle(page);
  return took;
}

const position = (page) => page.locator('.controls__position').innerText();
const title = (page) => page.locator('.explanation__title').innerText();
const current = (page) => page.locator('.transcript__step--current').innerText();
const steps = async (page) => Number((await position(page)).match(/of (\d+)/)[1]);

test('a swaks log pasted: drawn, stepped with the keys and buttons, its password hidden until shown', async () => {
  const page = await open();
  assert.equal(await page.locator('[data-view=log]').getAttribute('aria-current'), 'page');
  await page.screenshot({ path: `${SHOTS}/log-empty-1280x720.png` });
  await pasteLog(page, await fixture('swaks-submission-starttls.log'));
  assert.match(await page.locator('.logsum__read').innerText(), /Read as swaks/);
  assert.equal(await page.locator('.logsum__read .badge').innerText(), 'SMTP');
  assert.match(await page.locator('.logsum__why').innerText(), /greeting/);
  assert.match(await page.locator('.logsum__counts').innerText(), /8 commands, 10 replies/);
  assert.match(await page.locator(".logsum__findings").innerText(), /No findings/i);
  assert.equal(await page.locator('.topbar__scenario').innerText(), 'Pasted text');
  // The log's own actions sit beside what was read, so the bar keeps one row on a projector.
  const bar = await page.locator('.topbar').boundingBox();
  assert.ok(bar.height < 60, `the bar is ${bar.height} px high`);
  assert.equal(await page.locator('.logsum__actions [data-action=console]').count(), 1);
  // Two lanes: the client named for the tool, the server named in its greeting.
  assert.deepEqual(await page.locator('.diagram__host-label').allInnerTexts(), ['Client (swaks)', 'Server']);
  const n = await steps(page);
  assert.equal(await position(page), `Step 1 of ${n}`);
  // The log says nothing of when each line crossed: no clock is made up for it.
  assert.equal(await page.locator('.controls__time').innerText(), '');
  assert.match(await current(page), /220 mail\.example\.net ESMTP Postroom/);
  // The explorer's keys and buttons.
  await page.keyboard.press('ArrowRight');
  await settle(page);
  assert.equal(await position(page), `Step 2 of ${n}`);
  assert.match(await current(page), /EHLO laptop\.example\.net/);
  assert.match(await title(page), /introduces itself as laptop\.example\.net/);
  assert.match(await page.locator('.explanation__rfc a').getAttribute('href'), /rfc-editor\.org\/rfc\/rfc5321/);
  await page.click('[data-action=step]');
  await settle(page);
  assert.equal(await position(page), `Step 3 of ${n}`);
  await page.keyboard.press('End');
  await settle(page);
  assert.equal(await position(page), `Step ${n} of ${n}`);
  assert.match(await current(page), /221/);
  await page.keyboard.press('Home');
  await settle(page);
  assert.equal(await position(page), `Step 1 of ${n}`);
  // AUTH PLAIN: hidden in the transcript and the diagram, explained without its secret.
  const auth = page.locator('.transcript__step--client', { hasText: `AUTH PLAIN ${HIDDEN}` });
  await auth.locator('.transcript__select').click();
  await settle(page);
  assert.equal(await auth.innerText().then((t) => t.includes(`AUTH PLAIN ${HIDDEN}`)), true);
  assert.equal(await page.locator('body').innerText().then((t) => t.includes('AGFsaWNlAHNlY3JldA==')), false);
  assert.match(await page.locator('.explanation__why').innerText(), /It is hidden here/);
  assert.equal(await page.getAttribute('[data-action=reveal]', 'aria-pressed'), 'false');
  await page.screenshot({ path: `${SHOTS}/log-swaks-masked-1280x720.png` });
  // Shown: the payload, and what it says.
  await page.click('[data-action=reveal]');
  await settle(page);
  assert.equal(await page.getAttribute('[data-action=reveal]', 'aria-pressed'), 'true');
  assert.match(await current(page), /AUTH PLAIN AGFsaWNlAHNlY3JldA==/);
  assert.match(await page.locator('.explanation__why').innerText(), /user "alice", password "secret"/);
  // The byte view shows the line ends.
  await page.click('[data-action=bytes]');
  await settle(page);
  assert.match(await current(page), /CR LF/);
  await page.screenshot({ path: `${SHOTS}/log-swaks-revealed-bytes-1280x720.png` });
  await page.context().close();
});

test('an imaplib log pasted: stepped to its end, the LOGIN password hidden, read as another protocol', async () => {
  const page = await open();
  await pasteLog(page, await fixture('python-imaplib.log'));
  assert.match(await page.locator('.logsum__read').innerText(), /Python smtplib\/poplib\/imaplib/);
  assert.equal(await page.locator('.logsum__read .badge').innerText(), 'IMAP');
  const n = await steps(page);
  // Every step, one by one, each explained with its RFC.
  const seen = [];
  for (let i = 1; i <= n; i++) {
    assert.equal(await position(page), `Step ${i} of ${n}`);
    seen.push(await current(page));
    assert.match(await page.locator('.explanation__rfc a').innerText(), /^RFC \d+/);
    await page.keyboard.press('ArrowRight');
    await settle(page);
  }
  const login = seen.find((line) => line.includes('LOGIN bob'));
  assert.ok(login, seen.join('\n'));
  assert.ok(login.includes(HIDDEN) && !login.includes('"secret"'), login);
  assert.ok(seen.some((line) => line.includes('HGJP6 CLOSE')));
  assert.match(seen.at(-1), /LOGOUT|BYE/);
  await page.screenshot({ path: `${SHOTS}/log-imaplib-end-1280x720.png` });
  // Read as POP3, the same lines are full of mistakes; as detected again, none.
  await page.selectOption('[data-action=protocol]', 'pop3');
  await settle(page);
  assert.equal(await page.locator('.logsum__read .badge').innerText(), 'POP3');
  assert.match(await page.locator('.logsum__why').innerText(), /chosen/);
  assert.ok(await page.locator('.logsum__finding').count() > 0);
  await page.selectOption('[data-action=protocol]', 'detected');
  await settle(page);
  assert.equal(await page.locator('.logsum__read .badge').innerText(), 'IMAP');
  assert.equal(await page.locator('.logsum__finding').count(), 0);
  await page.context().close();
});

test('findings cite their rule and go to their step', async () => {
  const page = await open();
  // RCPT before MAIL, seeded in a real swaks log.
  const text = (await fixture('swaks-smtp.log'))
    .replace(' -> MAIL FROM:<alice@example.org>', ' -> RCPT TO:<carol@example.net>')
    .replace('<-  250 2.1.0 Sender OK', '<** 503 5.5.1 Need MAIL first');
  await pasteLog(page, text);
  const findings = page.locator('.logsum__finding');
  assert.equal(await findings.count(), 3);
  assert.match(await page.locator('#findings-title').innerText(), /3 findings/i);
  assert.match(await findings.first().innerText(), /RCPT without a MAIL before it/);
  assert.equal(await findings.first().locator('a').innerText(), 'RFC 5321 §4.1.4');
  assert.equal(await findings.first().locator('a').getAttribute('href'), 'https://www.rfc-editor.org/rfc/rfc5321#section-4.1.4');
  // Its why, on demand.
  await findings.first().locator('summary').click();
  assert.match(await findings.first().locator('details p').innerText(), /MAIL/);
  const go = findings.first().locator('[data-action=finding-go]');
  const to = Number((await go.innerText()).match(/step (\d+)/)[1]);
  await go.click();
  await settle(page);
  assert.equal(await position(page), `Step ${to} of ${await steps(page)}`);
  assert.match(await current(page), /RCPT TO:<carol@example\.net>/);
  assert.equal(await findings.first().getAttribute('aria-current'), 'step');
  await page.screenshot({ path: `${SHOTS}/log-finding-1280x720.png` });
  // An example with a real finding, one click away.
  await page.click('[data-action=edit]');
  await page.click('[data-example=openssl-pop3]');
  await page.waitForSelector('.diagram__step--current');
  assert.match(await page.locator('.logsum__finding').first().innerText(), /ends without QUIT: nothing was deleted/);
  assert.match(await page.locator('.logsum__finding a').first().innerText(), /RFC 1939/);
  await page.context().close();
});

test('a file dropped, a rawlog pair dropped, a file chosen', async () => {
  const page = await open();
  const drop = async (files) => {
    await page.evaluate((files) => {
      const data = new DataTransfer();
      for (const [name, text] of files) data.items.add(new File([text], name, { type: 'text/plain' }));
      document.querySelector('.logpage__drop').dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    }, files);
    await page.waitForSelector('.diagram__step--current');
    await settle(page);
  };
  await drop([['curl-pop3.log', await fixture('curl-pop3.log')]]);
  assert.equal(await page.locator('.topbar__scenario').innerText(), 'curl-pop3.log');
  assert.match(await page.locator('.logsum__read').innerText(), /Read as curl -v[\s\S]*POP3/);
  assert.match(await page.locator('.logsum__counts').innerText(), /3 commands, 5 replies/);
  await page.click('[data-action=edit]');
  await drop([['dovecot-imap.out', await fixture('dovecot-imap.out')], ['dovecot-imap.in', await fixture('dovecot-imap.in')]]);
  assert.equal(await page.locator('.topbar__scenario').innerText(), 'dovecot-imap.in and dovecot-imap.out');
  assert.match(await page.locator('.logsum__read').innerText(), /Read as Dovecot rawlog[\s\S]*IMAP/);
  // The file chooser, for keyboards.
  await page.click('[data-action=edit]');
  await page.setInputFiles('.logpage__chooser', `${FIXTURES}/telnet-pop3.log`);
  await page.waitForSelector('.diagram__step--current');
  await settle(page);
  assert.equal(await page.locator('.topbar__scenario').innerText(), 'telnet-pop3.log');
  assert.match(await page.locator('.logsum__read').innerText(), /Read as openssl s_client or telnet session[\s\S]*POP3/);
  await page.context().close();
});

test('text that is no log says which formats are understood and shows the lines it could not read', async () => {
  const page = await open();
  await paste(page, 'Dear Bob,\nthe meeting is at noon.\n<script>alert(1)</script>\n');
  await page.waitForSelector('.logpage__unread');
  await settle(page);
  const said = await page.locator('.logpage__unread').innerText();
  assert.match(said, /This does not look like a mail log Postroom can read/);
  assert.match(said, /Postroom reads 7 formats/);
  assert.match(said, /1\s*Dear Bob,/);
  // Shown as text, never run or injected.
  assert.match(said, /<script>alert\(1\)<\/script>/);
  assert.equal(await page.locator('.logpage__unread script').count(), 0);
  assert.equal(await page.locator('.logpage__formats dt').count(), 7);
  assert.equal(await page.locator('.diagram').count(), 0);
  await page.screenshot({ path: `${SHOTS}/log-unrecognised-1280x720.png` });
  // An empty box says what to do.
  await page.locator('#log-text').fill('');
  await page.click('[data-action=read]');
  assert.match(await page.locator('.logpage__problem').innerText(), /The box is empty/);
  await page.context().close();
});

// A swaks session whose message fills the log to about `size` octets.
async function bigLog(size) {
  const text = await fixture('swaks-smtp.log');
  const [head, tail] = text.split(' -> .\n');
  const line = ' -> A line of a long message, long enough to fill a megabyte soon.\n';
  const body = line.repeat(Math.floor((size - head.length - tail.length - 10) / line.length));
  return `${head}${body} -> .\n${tail}`;
}

test('a 1 MB paste keeps the page responsive; a longer one is cut with a notice', async () => {
  const page = await open();
  const mb = await bigLog(999_000);
  const took = await pasteLog(page, mb);
  console.log(`# 1 MB paste (${mb.length} octets, ${mb.split('\n').length} lines): ${took} ms from Ctrl+V to the first diagram`);
  assert.ok(took < 10000, `${took} ms`);
  const n = await steps(page);
  // Stepping stays quick: the message is one step, however long.
  const t0 = Date.now();
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.querySelector('.controls__position').textContent.startsWith('Step 6 '));
  const perStep = (Date.now() - t0) / 5;
  console.log(`# 1 MB log: ${n} steps, ${perStep.toFixed(0)} ms a step`);
  assert.ok(perStep < 300, `${perStep} ms a step`);
  // 20,000 short lines: 20,000 steps, still quick to step.
  const many = '220 mx.example.net ESMTP\n' + 'NOOP\n250 OK\n'.repeat(10_000);
  const tookMany = await pasteLog(page, many);
  assert.equal(await position(page), 'Step 1 of 20000');
  const t1 = Date.now();
  await page.keyboard.press('End');
  await page.waitForFunction(() => document.querySelector('.controls__position').textContent === 'Step 20000 of 20000');
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft');
  await page.waitForFunction(() => document.querySelector('.controls__position').textContent === 'Step 19995 of 20000');
  const manyStep = (Date.now() - t1) / 6;
  console.log(`# 20,000-line paste: ${tookMany} ms to the first diagram, ${manyStep.toFixed(0)} ms a step`);
  assert.ok(manyStep < 300, `${manyStep} ms a step`);
  // The greeting and 20,000 lines: one line too many, said in the singular.
  assert.match(await page.locator('.logsum').innerText(), /The line after them was left out\./);
  // Five-digit step numbers fit their column: none runs into the C: or S: beside it.
  const overflowing = await page.locator('.transcript__number').evaluateAll((all) => all
    .filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.textContent));
  assert.deepEqual(overflowing, []);
  await page.screenshot({ path: `${SHOTS}/log-20000-lines-1280x720.png` });
  // Twice the limit: read up to it, and said so.
  const tookTwo = await pasteLog(page, mb + mb);
  console.log(`# 2 MB paste: ${tookTwo} ms to the first diagram`);
  assert.match(await page.locator('.logsum').innerText(), /Only the first \d+ lines were read: Postroom reads at most 20000 lines or 1 MB of a log/);
  await page.context().close();
});

test('share as a link: the same session at the same step, without the password; too long says so', async () => {
  const page = await open();
  await pasteLog(page, await fixture('python-poplib.log'));
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await settle(page);
  const here = await current(page);
  await page.click('[data-action=share]');
  const link = await page.locator('.banner__link').inputValue();
  assert.match(link, /\/log\.html#log=[A-Za-z0-9_-]+&step=4$/);
  assert.ok(!Buffer.from(link.split('#log=')[1].split('&')[0], 'base64url').toString().includes('PASS secret'));
  const other = await open(link.slice(run.server.url.length));
  await other.waitForSelector('.diagram__step--current');
  await settle(other);
  assert.equal(await current(other), here);
  assert.equal(await other.locator('.topbar__scenario').innerText(), 'Shared link');
  assert.match(await other.locator('.logsum__read').innerText(), /Read as C:\/S: transcript[\s\S]*POP3/);
  assert.equal(await other.locator('.logsum__finding').count(), 0);
  await other.context().close();
  // A session too long for a link.
  await pasteLog(page, 'S: 220 mx ESMTP\n' + 'C: NOOP\nS: 250 OK\n'.repeat(400));
  await page.click('[data-action=share]');
  assert.match(await page.locator('.banner--warning').innerText(), /This session is too long to share as a link: its link would be [\d,]+ characters/);
  await page.context().close();
});

test('continue in the console: its server, with the session\'s lines offered', async () => {
  const page = await open();
  await pasteLog(page, await fixture('swaks-submission-starttls.log'));
  await page.click('[data-action=console]');
  await page.waitForSelector('.console__offered');
  await settle(page);
  assert.equal(await page.locator('[data-port="587"]').getAttribute('aria-pressed'), 'true');
  assert.equal(await page.locator('.console__try--next').innerText(), 'EHLO laptop.example.net');
  await page.click('[data-action=send-next]');
  await settle(page);
  assert.match((await page.locator('.console__line').allInnerTexts()).join('\n'), /250-mx\.example\.net/);
  assert.equal(await page.locator('.console__try--next').innerText(), 'STARTTLS');
  // A line clicked goes into the field, to edit before sending.
  await page.locator('.console__offered .console__try', { hasText: /^AUTH PLAIN/ }).click();
  assert.equal(await page.locator('#console-input').inputValue(), `AUTH PLAIN ${HIDDEN}`);
  await page.screenshot({ path: `${SHOTS}/log-console-offered-1280x720.png` });
  assert.deepEqual(await seriousAxeViolations(page), []);
  await page.context().close();
});

test('every page links to the log page, and it reads well light, dark and on a projector', async () => {
  for (const path of ['', 'compare.html', 'console.html', 'lessons.html']) {
    const page = await open(path);
    const link = page.locator('.topbar__views [data-view=log]');
    // Under "More": the bar keeps one row on a 1280 px projector.
    await page.click('.topbar__more > summary');
    assert.equal(await link.innerText(), 'Paste a log', path);
    assert.equal(await link.getAttribute('href'), 'log.html', path);
    if (path === '') {
      await link.click();
      await page.waitForSelector('#log-text');
      assert.equal(await page.locator('[data-view=log]').getAttribute('aria-current'), 'page');
    }
    await page.context().close();
  }
  const found = [];
  for (const colorScheme of ['light', 'dark']) {
    const page = await open('log.html', { colorScheme });
    for (const v of await seriousAxeViolations(page)) found.push(`${colorScheme} input: ${v}`);
    await page.click('[data-example=openssl-pop3]');
    await page.waitForSelector('.diagram__step--current');
    await page.locator('[data-action=finding-go]').first().click();
    await settle(page);
    for (const projector of [false, true]) {
      if (projector) {
        await page.click('[data-action=projector]');
        await settle(page);
      }
      const label = `${colorScheme}${projector ? '-projector' : ''}`;
      for (const v of await seriousAxeViolations(page)) found.push(`${label}: ${v}`);
      await page.screenshot({ path: `${SHOTS}/log-openssl-pop3-${label}-1280x720.png` });
      // The current arrow, its explanation and the controls are on screen.
      for (const selector of ['.diagram__step--current', '.explanation__title', '[data-action=step]']) {
        const box = await page.locator(selector).boundingBox();
        assert.ok(box && box.y >= 0 && box.y + box.height <= 720, `${label}: ${selector} at ${JSON.stringify(box)}`);
      }
    }
    await page.context().close();
  }
  for (const [w, h] of [[1024, 768], [1920, 1080], [820, 1180]]) {
    const page = await open('log.html', { viewport: { width: w, height: h } });
    await page.screenshot({ path: `${SHOTS}/log-input-${w}x${h}.png` });
    await page.click('[data-example=imaplib]');
    await page.waitForSelector('.diagram__step--current');
    await page.screenshot({ path: `${SHOTS}/log-imaplib-${w}x${h}.png` });
    await page.context().close();
  }
  assert.deepEqual(found, []);
});

test('no page or console errors on the log page', () => {
  assert.deepEqual(problems, []);
});
