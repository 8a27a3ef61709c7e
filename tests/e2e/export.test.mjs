// End to end: what a teacher takes to class. From the explorer: the diagram as SVG (parsed as
// XML, every step's label in it) and as a 16:9 PNG, the transcript as text (with and without
// CR LF), the stored message as .eml (read with Python's email module); from the comparison:
// the outcome table as CSV (read with Python's csv). The handouts printed to PDF on A4 and US
// Letter: their pages counted, the first step's text in them, no controls.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serveDist } from './static-server.mjs';
import { CHROMIUM, settle, watch } from './support.mjs';

const SHOTS = 'target/screenshots';
let server;
let browser;
let dir;
const problems = [];

before(async () => {
  server = await serveDist('dist');
  dir = await mkdtemp(join(tmpdir(), 'postroom-export-'));
  await mkdir(SHOTS, { recursive: true });
  browser = await chromium.launch(CHROMIUM);
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  assert.deepEqual(problems, []);
});

async function open(path, ready, viewport = { width: 1280, height: 720 }) {
  const page = await browser.newPage({ viewport, acceptDownloads: true });
  watch(page, problems);
  await page.goto(server.url + path);
  await page.waitForSelector(ready);
  return page;
}

/// Chooses an item of the Export… menu and returns the download it starts, saved.
async function exported(page, item) {
  await page.click('[data-action=export] > summary');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('[data-action=export] .menu__item', { hasText: item }).click(),
  ]);
  const path = join(dir, download.suggestedFilename());
  await download.saveAs(path);
  return { name: download.suggestedFilename(), path };
}

const python = (script, ...args) => execFileSync('python3', ['-c', script, ...args]).toString();

test('the explorer exports the diagram, a slide, the transcript and the stored message', async () => {
  const page = await open('', '.transcript__step--current');
  await page.keyboard.press('End');
  await settle(page);
  const [, total] = (await page.locator('.controls__position').innerText()).match(/of (\d+)/);
  const n = Number(total);

  const text = await exported(page, 'Transcript to step');
  assert.equal(text.name, `postroom-explorer-transcript-step-${n}.txt`);
  const transcript = await readFile(text.path, 'utf8');
  const said = new Set(transcript.split('\n').filter((l) => /^(C|S|--): /.test(l) || l.startsWith('-- ')));
  assert.match(transcript, /^C: EHLO /m);

  const crlf = await exported(page, 'CR LF');
  assert.equal(crlf.name, `postroom-explorer-transcript-crlf-step-${n}.txt`);
  const wire = (await readFile(crlf.path, 'utf8')).split('\n').filter((l) => /^[CS]: /.test(l));
  assert.ok(wire.length > 10 && wire.every((l) => l.endsWith('<CR><LF>')));

  // The SVG, read by Python's XML parser: one group per step, each with a line of the story.
  const svg = await exported(page, 'Diagram to step');
  assert.equal(svg.name, `postroom-explorer-diagram-step-${n}.svg`);
  const steps = JSON.parse(python(`
import json, sys, xml.etree.ElementTree as ET
ns = {'s': 'http://www.w3.org/2000/svg'}
root = ET.parse(sys.argv[1]).getroot()
print(json.dumps([[g.get('data-step'), [t.text for t in g.findall('s:text', ns)]] for g in root.findall('s:g', ns)]))
`, svg.path));
  assert.equal(steps.length, n, 'every step is drawn');
  // A note's dashes are left out of the drawing, as on the page.
  const bare = (text) => text.replace(/^[-\s]+|[-\s]+$/g, '');
  const lines = new Set([...said].map((l) => bare(l.slice(3))));
  for (const [number, texts] of steps) {
    const label = bare(texts[1].replace(/^TLS · /, ''));
    const known = lines.has(label);
    assert.ok(known, `step ${number}: "${label}" is a line of the transcript`);
  }

  // The slide: a PNG of 1920 × 1080.
  const png = await exported(page, 'slide');
  assert.equal(png.name, `postroom-explorer-slide-step-${n}.png`);
  const bytes = await readFile(png.path);
  assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
  assert.deepEqual([bytes.readUInt32BE(16), bytes.readUInt32BE(20)], [1920, 1080]);
  execFileSync('cp', [png.path, `${SHOTS}/export-slide.png`]);

  // The message as Bob's server stored it: Python reads it, and each of its header lines is
  // what the server sent a device that fetched it.
  const eml = await exported(page, '.eml');
  assert.match(eml.name, /^postroom-explorer-message-uid-\d+\.eml$/);
  const headers = JSON.parse(python(`
import email, email.policy, json, sys
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.compat32)
print(json.dumps({'pairs': list(m.items()), 'defects': [str(d) for d in m.defects], 'body': m.get_payload()}))
`, eml.path));
  assert.deepEqual(headers.defects, []);
  const names = headers.pairs.map(([k]) => k);
  for (const want of ['Return-Path', 'Received', 'From', 'To', 'Subject', 'Date']) assert.ok(names.includes(want), names.join());
  const raw = (await readFile(eml.path, 'latin1')).split('\r\n\r\n')[0].split('\r\n');
  for (const line of raw) assert.ok(said.has(`S: ${line}`), `the server sent "${line}"`);
  console.log(`exports at step ${n}: ${steps.length} steps in the SVG, ${headers.pairs.length} header fields in the .eml`);
  await page.close();
});

test('the comparison exports its outcome table as CSV', async () => {
  const page = await open('compare.html', '.compare__columns');
  const csv = await exported(page, 'CSV');
  assert.match(csv.name, /^postroom-compare-outcome-[a-z-]+\.csv$/);
  const rows = JSON.parse(python(`
import csv, json, sys
print(json.dumps(list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))))
`, csv.path));
  assert.deepEqual(rows[0].slice(0, 4), ['step', 'action', 'protocol', 'on server']);
  const acts = await page.locator('.compare__chip').count();
  assert.equal(rows.length, 1 + 2 * acts);
  // Step 1's rows are the table on the screen.
  for (const protocol of ['pop3', 'imap']) {
    const cells = await page.locator(`.compare__outcome tr[data-protocol=${protocol}] td`).allInnerTexts();
    const row = rows.find((r) => r[0] === '1' && r[2] === protocol.toUpperCase());
    assert.deepEqual(row.slice(3, 6), cells.slice(0, 3));
  }
  await page.close();
});

/// The PDF's pages and text (pdftotext), after checking no control is printed.
async function printed(page, name) {
  const visible = await page.evaluate(() => [...document.querySelectorAll('button, select, input, summary, nav')]
    .filter((e) => e.getClientRects().length > 0).map((e) => e.outerHTML.slice(0, 80)));
  assert.deepEqual(visible, [], 'no controls in print');
  const report = [];
  let text = '';
  for (const format of ['A4', 'Letter']) {
    const path = join(dir, `${name}-${format}.pdf`);
    await page.pdf({ path, format, printBackground: true });
    const pdf = await readFile(path, 'latin1');
    const pages = (pdf.match(/\/Type\s*\/Page\b/g) ?? []).length;
    assert.ok(pages >= 1);
    text = execFileSync('pdftotext', ['-layout', path, '-']).toString();
    report.push(`${format}: ${pages} pages`);
  }
  console.log(`${name}: ${report.join(', ')}`);
  return text;
}

test('the story handout prints every step, the diagram in slices and the end, without controls', async () => {
  const page = await open('', '.transcript__step--current');
  const first = await page.locator('.transcript__step--current .transcript__line').first().innerText();
  await page.click('[data-action=export] > summary');
  await page.locator('[data-action=export] .menu__item', { hasText: 'Print handout' }).click();
  await page.waitForSelector('.handout');
  await page.screenshot({ path: `${SHOTS}/handout-screen-1280x720.png` });
  const slices = await page.locator('.handout__diagram svg').count();
  const steps = await page.locator('.handout__step').count();
  assert.ok(slices >= 2 && steps > 50, `${slices} slices, ${steps} steps`);
  await page.emulateMedia({ media: 'print' });
  await page.setViewportSize({ width: 794, height: 1123 });
  await page.screenshot({ path: `${SHOTS}/handout-print-a4.png` });
  const text = await printed(page, 'handout-explorer');
  assert.ok(text.includes(first.replace(/^[CS]:\s*/, '').trim()), `the first step "${first}" is in the PDF`);
  assert.match(text, /Step by step/);
  assert.match(text, /At the end/);
  assert.doesNotMatch(text, /Print…|Back to the explorer|Compose…/);
  await page.emulateMedia({ media: 'screen' });
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.click('[data-action=close-handout]');
  await page.waitForSelector('.transcript__step--current');
  await page.close();
});

test('the comparison handout prints what changed after each action and the outcome table', async () => {
  const page = await open('compare.html', '.compare__columns');
  const act = await page.locator('.compare__chip').first().innerText();
  await page.click('[data-action=export] > summary');
  await page.locator('[data-action=export] .menu__item', { hasText: 'Print handout' }).click();
  await page.waitForSelector('.handout');
  await page.emulateMedia({ media: 'print' });
  await page.setViewportSize({ width: 816, height: 1056 });
  await page.screenshot({ path: `${SHOTS}/handout-compare-print-letter.png`, fullPage: true });
  const text = await printed(page, 'handout-compare');
  assert.ok(text.includes(act.replace(/^\d+ · /, '')), `the first action "${act}" is in the PDF`);
  assert.match(text, /Outcome table/);
  assert.match(text, /POP3 — what changed/);
  await page.close();
});
