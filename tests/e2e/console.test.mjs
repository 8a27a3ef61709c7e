// End to end: the console page (console.html) in Debian's Chromium. Commands typed on the
// keyboard reach a real server and its answers come back, explained with the RFC section;
// mistakes get the RFC's error and the session goes on. Screenshots go to target/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settle, seriousAxeViolations, watch, servedPages } from './support.mjs';

const SHOTS = 'target/screenshots';
const problems = [];
// The built pages and Chromium, for every test of this file.
const run = servedPages(SHOTS);

async function open(options = {}) {
  const context = await run.browser.newContext({ viewport: options.viewport ?? { width: 1920, height: 1080 }, colorScheme: options.colorScheme ?? 'light' });
  const page = await context.newPage();
  watch(page, problems);
  await page.goto(`${run.server.url}console.html`);
  await page.waitForSelector('.console__line');
  return page;
}

// Types a line and presses Enter; returns what the server said to it.
async function type(page, line) {
  const before = await page.locator('.console__line').count();
  await page.locator('#console-input').fill(line);
  await page.keyboard.press('Enter');
  await settle(page);
  const all = await page.locator('.console__line').allInnerTexts();
  return all.slice(before + 1).join('\n');
}
const explained = (page) => page.locator('.console__explain').innerText();

test('an SMTP session typed by hand delivers a message, explained line by line', async () => {
  const page = await open();
  assert.match(await page.locator('.console__line').first().innerText(), /S:\s*220 mx\.example\.net/);
  assert.match(await type(page, 'EHLO laptop.example.org'), /250-mx\.example\.net[\s\S]*250-STARTTLS/);
  assert.match(await explained(page), /RFC 5321 §/);
  assert.match(await type(page, 'MAIL FROM:<alice@example.org>'), /^S:\s*250 /);
  assert.match(await type(page, 'RCPT TO:<bob@example.net>'), /^S:\s*250 /);
  assert.match(await type(page, 'DATA'), /^S:\s*354 /);
  assert.equal(await type(page, 'Subject: typed in class'), '');
  assert.equal(await type(page, ''), '');
  assert.equal(await type(page, 'Hello Bob.'), '');
  assert.match(await type(page, '.'), /^S:\s*250 /);
  // A mistake: the RFC's reply, and the session goes on.
  assert.match(await type(page, 'RCPT TO:<bob@example.net>'), /^S:\s*503 5\.5\.1 /);
  assert.match(await explained(page), /SMTP server state/);
  assert.match(await type(page, 'STARTTLS'), /220 [\s\S]*TLS handshake \(simulated\)/);
  await page.screenshot({ path: `${SHOTS}/console-smtp-1920x1080.png` });
  assert.match(await type(page, 'QUIT'), /^S:\s*221 /);
  assert.equal(await page.locator('#console-input').isDisabled(), true);
  await page.click('[data-control=reset]');
  await settle(page);
  assert.equal(await page.locator('.console__line').count(), 1);
  assert.equal(await page.locator('#console-input').isDisabled(), false);
  await page.context().close();
});

test('POP3 and IMAP: the suggested lines make a session; clicking a line explains it', async () => {
  const page = await open();
  await page.click('[data-protocol=pop3]');
  await settle(page);
  assert.match(await page.locator('.console__line').first().innerText(), /\+OK POP3 server ready/);
  for (const line of ['USER bob', 'PASS secret', 'STAT', 'RETR 1']) {
    await page.locator(`.console__try[data-try="${line}"]`).click();
    await settle(page);
  }
  const text = await page.locator('.console__lines').innerText();
  assert.match(text, /\+OK 3 \d+/);
  assert.match(text, /Subject: Lunch on Friday\?/);
  assert.match(await type(page, 'LAST'), /-ERR/);
  await page.locator('.console__line', { hasText: 'C:' }).filter({ hasText: 'STAT' }).click();
  await settle(page);
  assert.match(await explained(page), /RFC 1939 §5/);
  await page.screenshot({ path: `${SHOTS}/console-pop3-1920x1080.png` });
  await page.click('[data-protocol=imap]');
  await settle(page);
  for (const line of ['a2 LOGIN bob secret', 'a3 SELECT INBOX', 'a4 FETCH 1:* (FLAGS ENVELOPE)']) {
    await page.locator(`.console__try[data-try="${line}"]`).click();
    await settle(page);
  }
  const imap = await page.locator('.console__lines').innerText();
  assert.match(imap, /\* 3 EXISTS/);
  assert.match(imap, /a4 OK FETCH completed/);
  assert.match(await type(page, 'a5 FROB'), /a5 BAD/);
  await page.context().close();
});

test('dark theme and a tablet-sized screen; axe finds no serious problem', async () => {
  const page = await open({ colorScheme: 'dark', viewport: { width: 1024, height: 768 } });
  await page.click('[data-protocol=imap]');
  await type(page, 'a1 LOGIN bob secret');
  await type(page, 'a2 SELECT INBOX');
  await page.screenshot({ path: `${SHOTS}/console-imap-1024x768-dark.png` });
  assert.deepEqual(await seriousAxeViolations(page), []);
  await page.context().close();
});

test('IMAP4rev2 on request: ENABLE, then SEARCH answers with ESEARCH', async () => {
  const page = await open();
  await page.click('[data-protocol=imap]');
  assert.match(await page.locator('.console__line').first().innerText(), /IMAP4rev1 IMAP4rev2/);
  await type(page, 'a1 LOGIN bob secret');
  assert.match(await type(page, 'a2 ENABLE IMAP4rev2'), /\* ENABLED IMAP4rev2/);
  const selected = await type(page, 'a3 SELECT INBOX');
  assert.doesNotMatch(selected, /RECENT/);
  assert.match(await type(page, 'a4 SEARCH RETURN (COUNT) ALL'), /\* ESEARCH \(TAG "a4"\) COUNT \d+/);
  assert.match(await explained(page), /RFC 9051 §/);
  await page.screenshot({ path: `${SHOTS}/console-imap4rev2-1920x1080.png` });
  await page.context().close();
});

test('one mailbox for the four servers: sent on 587, fetched with POP3', async () => {
  const page = await open();
  assert.match(await page.locator('.console__shared').innerText(), /share Bob's mailbox/);
  assert.deepEqual(await page.locator('.console__choice[data-port]').allInnerTexts(),
    ['SMTP (port 25)', 'Submission (port 587)', 'POP3 (port 110)', 'IMAP (port 143)']);
  await page.click('[data-port="587"]');
  await settle(page);
  assert.equal(await page.getAttribute('[data-port="587"]', 'aria-pressed'), 'true');
  // Submission wants a login first (RFC 6409): the suggested lines make the whole session.
  await type(page, 'EHLO laptop.example.net');
  assert.match(await type(page, 'MAIL FROM:<bob@example.net>'), /^S:\s*530 /);
  for (const line of ['AUTH PLAIN AGJvYgBzZWNyZXQ=', 'MAIL FROM:<bob@example.net>',
    'RCPT TO:<bob@example.net>', 'DATA']) {
    await page.locator(`.console__try[data-try="${line}"]`).click();
    await settle(page);
  }
  await type(page, 'Subject: Sent on 587 in class');
  await type(page, '');
  await type(page, 'Fetch me with POP3.');
  assert.match(await type(page, '.'), /^S:\s*250 /);
  await page.click('[data-protocol=pop3]');
  await settle(page);
  await type(page, 'USER bob');
  await type(page, 'PASS secret');
  assert.match(await type(page, 'STAT'), /^S:\s*\+OK 4 /);
  assert.match(await type(page, 'RETR 4'), /Subject: Sent on 587 in class[\s\S]*Fetch me with POP3\./);
  await page.screenshot({ path: `${SHOTS}/console-587-then-pop3-1280x720.png` });
  // Start again: a fresh mailbox on the same server.
  await page.click('[data-control=reset]');
  await settle(page);
  await type(page, 'USER bob');
  await type(page, 'PASS secret');
  assert.match(await type(page, 'STAT'), /^S:\s*\+OK 3 /);
  await page.context().close();
});

test('the console\'s own notes stand apart: a line cut at 1,000 characters, the TLS handshake', async () => {
  const page = await open();
  await page.locator('#console-input').fill(`NOOP ${'x'.repeat(1500)}`);
  await page.keyboard.press('Enter');
  await settle(page);
  const note = page.locator('.console__line--local').last();
  assert.match(await note.innerText(), /Only the first 1000 of 1505 characters were sent/);
  // The server answers what it received; the note explains the cut.
  assert.match(await page.locator('.console__line').last().innerText(), /^S:\s*500 /);
  await note.click();
  await settle(page);
  assert.match(await explained(page), /line was cut/i);
  await type(page, 'EHLO laptop.example.org');
  await type(page, 'STARTTLS');
  assert.match(await page.locator('.console__line--local').last().innerText(), /TLS handshake \(simulated\)/);
  // Set apart: a note, not a C: or S: line, in its own box.
  const looks = await note.evaluate((el) => ({ who: el.querySelector('.console__who').innerText, border: getComputedStyle(el).borderStyle }));
  assert.deepEqual(looks, { who: 'NOTE', border: 'dashed' });
  await page.screenshot({ path: `${SHOTS}/console-notes-1920x1080.png` });
  await page.context().close();
});

test('no page or console errors on the console page', () => {
  assert.deepEqual(problems, []);
});
