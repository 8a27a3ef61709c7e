// End to end: live mode. The test starts `postroom-serve --web` on free ports (serving dist/),
// opens live.html in Debian's Chromium, and has real clients talk to the bridge: Python's
// smtplib sends over the submission port with STARTTLS and AUTH, curl reads over POP3 with
// STLS, imaplib reads over IMAP with STARTTLS while a second session idles. The page must show
// each session with the right lines and explanations within 1 s of the line crossing; a
// reload mid-session shows it all again. Screenshots go to target/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { chromium } from 'playwright-core';
import { CHROMIUM, englishFragments, settle, seriousAxeViolations, watch } from './support.mjs';

const SHOTS = 'target/screenshots';
const BINARY = process.env.POSTROOM_SERVE
  ?? ['target/release/postroom-serve', 'target/debug/postroom-serve'].find(existsSync);
let bridge;
let browser;
let offset;
let web;
const problems = [];
const latencies = [];

const free = (port) => new Promise((done) => {
  const s = createServer().once('error', () => done(false)).listen(port, '127.0.0.1', () => s.close(() => done(true)));
});

// An offset whose five mail ports are free, and a free web port.
async function freePorts() {
  for (let tries = 0; tries < 100; tries += 1) {
    // Every port below 32768, where Linux's ephemeral ports begin, so no socket bound to
    // port 0 elsewhere can take one between this check and the bridge's bind.
    const o = 2000 + Math.floor(Math.random() * 220) * 100;
    const all = await Promise.all([25, 110, 143, 465, 587, 8080].map((p) => free(o + p)));
    if (all.every(Boolean)) return [o, o + 8080];
  }
  throw new Error('no free ports');
}

before(async () => {
  assert.ok(BINARY, 'postroom-serve is not built: cargo build -p postroom-serve');
  [offset, web] = await freePorts();
  bridge = spawn(BINARY, ['--port-offset', String(offset), '--web', `127.0.0.1:${web}`, '--web-root', 'dist', '--quiet'],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((done, fail) => {
    let out = '';
    bridge.stdout.on('data', (d) => { out += d; if (out.includes('ready\n')) done(); });
    bridge.once('exit', (code) => fail(new Error(`postroom-serve exited (${code}): ${out}`)));
  });
  await mkdir(SHOTS, { recursive: true });
  browser = await chromium.launch(CHROMIUM);
});

after(async () => {
  await browser?.close();
  bridge?.kill();
  if (latencies.length) console.log(`# live latency, line crossing to page: max ${Math.max(...latencies)} ms (${latencies.join(', ')} ms)`);
});

// Runs a Python script with the ports in its environment; its stdout.
function python(script) {
  return new Promise((done, fail) => {
    execFile('python3', ['-c', script], { env: { ...process.env, OFFSET: String(offset) }, timeout: 60000 },
      (err, stdout, stderr) => (err ? fail(new Error(`${err.message}\n${stderr}`)) : done(stdout)));
  });
}

const PY = `
import os, smtplib, ssl, imaplib, socket, time
OFFSET = int(os.environ["OFFSET"])
CTX = ssl.create_default_context()
CTX.check_hostname = False
CTX.verify_mode = ssl.CERT_NONE
now = lambda: int(time.time() * 1000)
`;

async function open(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, colorScheme: options.colorScheme ?? 'light' });
  const page = await context.newPage();
  watch(page, problems);
  await page.goto(`http://127.0.0.1:${web}/live.html`);
  await page.waitForSelector('#settings-title');
  return page;
}

// Waits until the selected session's transcript holds `text`; the time it showed (epoch ms).
async function shows(page, text) {
  await page.waitForFunction((t) => [...document.querySelectorAll('.transcript__step')]
    .some((s) => s.innerText.includes(t)), text, { timeout: 5000, polling: 10 });
  return Date.now();
}

const transcript = (page) => page.locator('.transcript__steps').innerText();

test('smtplib, curl and imaplib sessions show on the live page as they happen', async () => {
  const page = await open();
  // The settings to type into a mail program come from the bridge.
  const settings = await page.locator('.live__panel', { has: page.locator('#settings-title') }).innerText();
  assert.match(settings, new RegExp(`port ${offset + 587} with STARTTLS`));
  assert.match(settings, /alice \/ secret/);
  // As plain text a phone can use, shown rather than folded away.
  const plain = page.locator('[data-settings=plain]');
  assert.ok(await plain.isVisible());
  assert.match(await plain.innerText(), new RegExp(`Port: ${offset + 143}[\\s\\S]*Port: ${offset + 587}[\\s\\S]*bob@example\\.net  user name: bob  password: secret`));

  const sent = Number((await python(`${PY}
s = smtplib.SMTP("127.0.0.1", OFFSET + 587)
s.ehlo("laptop.example")
s.starttls(context=CTX)
s.ehlo("laptop.example")
s.login("alice", "secret")
s.sendmail("alice@example.net", ["bob@example.net"], "Subject: live\\r\\n\\r\\nHello, class.\\r\\n")
code, _ = s.docmd("QUIT")
print(now())
`)).trim());
  latencies.push((await shows(page, '221 ')) - sent);
  const smtp = await transcript(page);
  assert.match(smtp, /S:\s*SMTP\s*220 /);
  assert.match(smtp, /C:\s*SMTP\s*STARTTLS/);
  assert.match(smtp, /AUTH PLAIN ••••••••/, 'the AUTH payload is hidden');
  assert.doesNotMatch(smtp, /AGFsaWNlAHNlY3JldA/);
  assert.match(smtp, /Hello, class\./);
  // Lines after STARTTLS are marked as encrypted on the wire.
  assert.ok(await page.locator('.diagram__step--encrypted').count() > 0);
  assert.match(await page.locator('.diagram').innerText(), /TLS started|TLS · /);
  // Step back to the STARTTLS line: its explanation and RFC, from the engine's narrator.
  await page.locator('.transcript__step', { hasText: /C:\s*SMTP\s*STARTTLS/ }).first().locator('button').click();
  await settle(page);
  assert.match(await page.locator('.explanation').innerText(), /RFC 3207/);
  // At 1280x720 the clicked line and its explanation's heading both stay in view.
  const box = async (selector) => page.locator(selector).first().boundingBox();
  const [side, title, line, lines] = await Promise.all(['.explorer__side', '.explanation__title',
    '.transcript__step--current', '.transcript'].map(box));
  assert.ok(title.y >= side.y && title.y + title.height <= side.y + side.height, `heading out of view: ${JSON.stringify({ side, title })}`);
  assert.ok(line.y >= lines.y && line.y + line.height <= lines.y + lines.height, `line out of view: ${JSON.stringify({ lines, line })}`);
  // Before the message is stored the mailbox panel says so.
  assert.match(await page.locator('.mailbox').innerText(), /Nothing stored yet/);
  const list = await page.locator('.live__sessions').innerText();
  assert.match(list, /SMTP[\s\S]*alice[\s\S]*closed/);
  await page.screenshot({ path: `${SHOTS}/live-smtp-1280x720.png` });

  // curl over POP3 with STLS.
  const before = Date.now();
  await new Promise((done, fail) => execFile('curl', ['-s', '--ssl-reqd', '-k', '--user', 'bob:secret', `pop3://127.0.0.1:${offset + 110}/1`],
    { timeout: 30000 }, (err, stdout) => (err ? fail(err) : done(stdout))));
  const curlDone = Date.now();
  // Its own session: on a busy machine the list may not show it yet at the first look.
  await page.locator('.live__session--pop3').first().click();
  latencies.push(Math.max(0, (await shows(page, '+OK')) - curlDone));
  assert.ok(curlDone >= before);
  await page.waitForFunction(() => document.querySelector('.live__sessions')?.innerText.match(/POP3[\s\S]*bob/));
  const pop3 = await transcript(page);
  assert.match(pop3, /STLS/);
  // curl logs in with AUTH PLAIN after STLS: its answer to the challenge is hidden.
  assert.match(pop3, /AUTH PLAIN[\s\S]*\+ [\s\S]*••••••••/);
  assert.doesNotMatch(pop3, /AGJvYgBzZWNyZXQ/);
  assert.match(pop3, /Hello, class\./);

  // imaplib over IMAP with STARTTLS, while a second session idles and hears of new mail.
  const out = await python(`${PY}
idle = socket.create_connection(("127.0.0.1", OFFSET + 143))
f = idle.makefile("rb")
f.readline()
idle.sendall(b"i1 LOGIN bob secret\\r\\n")
while not f.readline().startswith(b"i1 "): pass
idle.sendall(b"i2 SELECT INBOX\\r\\n")
while not f.readline().startswith(b"i2 "): pass
idle.sendall(b"i3 IDLE\\r\\n")
assert f.readline().startswith(b"+")
s = smtplib.SMTP("127.0.0.1", OFFSET + 587)
s.starttls(context=CTX)
s.login("alice", "secret")
s.sendmail("alice@example.net", ["bob@example.net"], "Subject: second\\r\\n\\r\\nAgain.\\r\\n")
s.quit()
news = f.readline()
idle.sendall(b"DONE\\r\\n")
while not f.readline().startswith(b"i3 "): pass
idle.sendall(b"i4 LOGOUT\\r\\n")
m = imaplib.IMAP4("127.0.0.1", OFFSET + 143)
m.starttls(ssl_context=CTX)
m.login("bob", "secret")
m.select("INBOX")
typ, data = m.fetch("1:*", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
m.store("1", "+FLAGS.SILENT", "(\\\\Flagged)")
m.logout()
print(news.decode().strip())
print(now())
`);
  const [news, imapDone] = out.trim().split('\n');
  assert.match(news, /EXISTS/);
  // The newest session is the imaplib one: the page follows it.
  latencies.push((await shows(page, 'LOGOUT')) - Number(imapDone));
  const imap = await transcript(page);
  assert.match(imap, /STARTTLS/);
  assert.match(imap, /LOGIN bob "?••••••••"?/);
  assert.match(imap, /FETCH/);
  // The IMAP STARTTLS go-ahead, the quiet STORE and the mailbox's flags, as the store has them.
  const explain = async (text) => {
    await page.locator('.transcript__step', { hasText: text }).first().locator('button').click();
    await settle(page);
    return page.locator('.explanation').innerText();
  };
  assert.match(await explain(/OK Begin TLS/), /Go ahead: start the TLS handshake[\s\S]*RFC 9051 §6\.2\.1/);
  assert.match(await explain(/FLAGS\.SILENT/), /quietly \(\.SILENT\)[\s\S]*no untagged FETCH/);
  await page.keyboard.press('End');
  await settle(page);
  assert.match(await page.locator('.mailbox').innerText(), /bob · INBOX[\s\S]*\\Flagged/);
  await page.screenshot({ path: `${SHOTS}/live-imap-1280x720.png` });
  // The idling session: its DONE and the news it heard.
  await page.locator('.live__session', { hasText: 'IMAP' }).last().click();
  await settle(page);
  const idled = await transcript(page);
  assert.match(idled, /IDLE/);
  assert.match(idled, /EXISTS/);
  assert.match(idled, /DONE/);
  await page.keyboard.press('End');
  await settle(page);
  assert.match(await page.locator('.explanation__rfc').innerText(), /RFC \d+ §/);
  for (const l of latencies) assert.ok(l < 1000, `latency ${l} ms`);
  await page.context().close();
});

test('a reload mid-session shows it all again, and the session goes on growing', async () => {
  const page = await open();
  await page.waitForSelector('.live__session');
  const sessionsBefore = await page.locator('.live__session').count();
  // A session held open while the page reloads.
  const held = spawn('python3', ['-c', `${PY}
import sys
c = socket.create_connection(("127.0.0.1", OFFSET + 110))
f = c.makefile("rb")
f.readline()
c.sendall(b"USER bob\\r\\n"); f.readline()
c.sendall(b"PASS secret\\r\\n"); f.readline()
c.sendall(b"STAT\\r\\n"); f.readline()
print("waiting", flush=True)
sys.stdin.readline()
c.sendall(b"LIST\\r\\n")
while f.readline() != b".\\r\\n": pass
c.sendall(b"QUIT\\r\\n"); f.readline()
print(now(), flush=True)
`], { env: { ...process.env, OFFSET: String(offset) }, stdio: ['pipe', 'pipe', 'inherit'] });
  let heldOut = '';
  held.stdout.on('data', (d) => { heldOut += d; });
  while (!heldOut.includes('waiting')) await new Promise((r) => setTimeout(r, 20));
  await shows(page, 'STAT');
  await page.reload();
  await page.waitForSelector('#settings-title');
  await page.waitForFunction((n) => document.querySelectorAll('.live__session').length >= n, sessionsBefore + 1);
  // The open session is back with its lines, and grows when it goes on.
  assert.match(await page.locator('.live__sessions').innerText(), /POP3[\s\S]*bob[\s\S]*open/);
  await shows(page, 'STAT');
  held.stdin.write('\n');
  while (heldOut.trim().split('\n').length < 2) await new Promise((r) => setTimeout(r, 20));
  const quit = Number(heldOut.trim().split('\n')[1]);
  latencies.push((await shows(page, 'QUIT')) - quit);
  // A finished session can be saved as a C:/S: log.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-action=save]')]);
  const path = await download.path();
  const { readFile } = await import('node:fs/promises');
  const log = await readFile(path, 'utf8');
  assert.match(log, /^C: USER bob$/m);
  assert.match(log, /^C: PASS ••••••••$/m);
  assert.match(log, /^S: \+OK/m);

  for (const colorScheme of ['light', 'dark']) {
    const p = colorScheme === 'light' ? page : await open({ colorScheme });
    await p.waitForSelector('.transcript__step');
    await p.screenshot({ path: `${SHOTS}/live-${colorScheme}-1280x720.png` });
    assert.deepEqual(await seriousAxeViolations(p), []);
    await p.click('[data-action=projector]');
    await settle(p);
    await p.screenshot({ path: `${SHOTS}/live-${colorScheme}-projector-1280x720.png` });
    assert.deepEqual(await seriousAxeViolations(p), []);
    await p.click('[data-action=projector]');
    if (p !== page) await p.context().close();
  }
  await page.context().close();
});

// In German: the sessions, a session's facts and events, the settings to type (and their
// plain text for a phone), none of it left in English; the lines as sent. (The bridge sends
// each line's explanation and the server's state as English text: not checked here.)
test('de: the live page speaks German around the real sessions', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  watch(page, problems);
  await page.goto(`http://127.0.0.1:${web}/live.html?lang=de`);
  await page.waitForSelector('#settings-title');
  await page.waitForSelector('.live__session');
  await page.locator('.live__session').first().click();
  await page.waitForSelector('#detail-title');
  await settle(page);
  assert.match(await page.locator('#settings-title').innerText(), /Mailprogramm/i);
  const words = await page.evaluate(() => [...document.querySelectorAll('.live__side, .topbar')]
    .map((el) => el.textContent).join('\n'));
  assert.deepEqual(englishFragments('de').filter((f) => words.includes(f)), []);
  await page.screenshot({ path: `${SHOTS}/live-de-1280x720.png` });
  assert.deepEqual(await seriousAxeViolations(page), []);
  await context.close();
});

test('no page or console errors', () => {
  assert.deepEqual(problems, []);
});
