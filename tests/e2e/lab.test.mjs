// End to end: the round-trip lab (lab.html) in Debian's Chromium. At 1 ms and at 600 ms the
// times and the chart change while the round trips do not; the four diagrams, the relay and
// webmail render from the engines' runs; a share link opens the same settings; the keyboard
// chooses views and latencies; screenshots of each view at 1280x720, light, dark and
// projector, go to target/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { serveDist } from './static-server.mjs';
import { CHROMIUM, settle, watch } from './support.mjs';

const SHOTS = 'target/screenshots';
let server;
let browser;
const problems = [];

before(async () => {
  server = await serveDist('dist');
  await mkdir(SHOTS, { recursive: true });
  browser = await chromium.launch(CHROMIUM);
});

after(async () => {
  await browser?.close();
  await server?.close();
  assert.deepEqual(problems, []);
});

async function open(hash = '', options = {}) {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 720 }, colorScheme: options.colorScheme ?? 'light' });
  const page = await context.newPage();
  watch(page, problems);
  await page.goto(`${server.url}lab.html${hash}`);
  await page.waitForSelector('.lab__table');
  await settle(page);
  return page;
}

const PATHS = ['smtp', 'smtp-well', 'api', 'jmap'];
const trips = (page) => Promise.all(PATHS.map((p) => page.locator(`.lab__row[data-path="${p}"] [data-field=trips]`).innerText()));
const times = (page) => Promise.all(PATHS.map((p) => page.locator(`.lab__row[data-path="${p}"] [data-field=time]`).innerText()));
const chart = (page) => Promise.all(PATHS.map((p) => page.getAttribute(`.chart__series[data-path="${p}"] polyline`, 'points')));
const nowLine = (page) => page.getAttribute('.chart__now', 'x1');
const millis = (text) => (text.endsWith(' s') ? parseFloat(text) * 1000 : parseFloat(text));

test('1 ms and 600 ms: the round trips stay, the times and the chart move', async () => {
  const page = await open();
  await page.click('[data-rtt="1"]');
  await settle(page);
  const fast = { trips: await trips(page), times: await times(page), chart: await chart(page), now: await nowLine(page) };
  await page.screenshot({ path: `${SHOTS}/lab-1ms-1280x720.png` });
  await page.click('[data-rtt="600"]');
  await settle(page);
  const slow = { trips: await trips(page), times: await times(page), chart: await chart(page), now: await nowLine(page) };
  await page.screenshot({ path: `${SHOTS}/lab-600ms-1280x720.png` });
  for (const [rtt, seen] of [[1, fast], [600, slow]]) {
    console.log(`# ${rtt} ms, 20 Mbit/s: ${PATHS.map((p, i) => `${p} ${seen.trips[i]} round trips, ${seen.times[i]}`).join('; ')}`);
  }
  // Round trips are the protocols', not the network's (hand-derived in crates/sim/tests/lab.rs).
  assert.deepEqual(fast.trips, ['12', '7', '3', '3']);
  assert.deepEqual(slow.trips, fast.trips);
  for (let i = 0; i < 4; i += 1) {
    assert.ok(millis(slow.times[i]) > millis(fast.times[i]) + 1000, `${PATHS[i]}: ${fast.times[i]} → ${slow.times[i]}`);
  }
  // At 600 ms, 12 round trips take over 7 s and 3 take under 2 s.
  assert.ok(millis(slow.times[0]) > 7000 && millis(slow.times[2]) < 2000, slow.times.join(', '));
  // The chart marks the latency chosen; its lines are the bandwidth's and stay.
  assert.notEqual(slow.now, fast.now);
  assert.deepEqual(slow.chart, fast.chart);
  // A thinner link redraws the lines and shows where SMTP done well beats JMAP's longer JSON.
  await page.selectOption('[data-control=bandwidth]', '256');
  await settle(page);
  assert.notDeepEqual(await chart(page), fast.chart);
  assert.ok(await page.locator('.chart__cross').count() >= 1);
  assert.match(await page.locator('[data-field=crossovers]').innerText(), /SMTP done well faster below, JMAP above/);
  await page.screenshot({ path: `${SHOTS}/lab-256kbit-crossover-1280x720.png` });
  // The network's controls leave the page where it is: the table and the chart stay in sight.
  assert.equal(await page.evaluate(() => document.querySelector('main.lab').scrollTop), 0);
  await page.context().close();
});

const VIEWS = [
  ['smtp', /STARTTLS/, 'SMTP'],
  ['smtp-well', /AUTH PLAIN AG/, 'SMTP'],
  ['api', /POST \/v3\/mail\/send/, 'HTTP'],
  ['jmap', /POST \/jmap\/api\//, 'HTTP'],
  ['relay', /mx\.example\.net/, 'SMTP'],
  ['webmail', /UID FETCH/, 'IMAP'],
];

for (const [colorScheme, projector] of [['light', false], ['dark', false], ['light', true]]) {
  const label = `${colorScheme}${projector ? '-projector' : ''}`;
  test(`every view's diagram renders, ${label}`, async () => {
    const page = await open('', { colorScheme });
    if (projector) {
      await page.click('[data-action=projector]');
      await settle(page);
    }
    for (const [key, line, badge] of VIEWS) {
      await page.click(`.lab__tab[data-view="${key}"]`);
      await settle(page);
      assert.equal(await page.getAttribute(`.lab__tab[data-view="${key}"]`, 'aria-selected'), 'true');
      const arrows = await page.locator('.diagram__step').count();
      assert.ok(arrows >= 6, `${key}: ${arrows} arrows`);
      // The TCP handshake opens every connection: the first step.
      await page.keyboard.press('Home');
      await settle(page);
      assert.match(await page.locator('.diagram__step--current').innerText(), /\[TCP\] SYN/, key);
      // Walk to the first unit of the protocol and check its line is on the diagram.
      let found = false;
      for (let i = 0; i < 40 && !found; i += 1) {
        await page.keyboard.press('ArrowRight');
        await settle(page);
        found = line.test(await page.locator('.diagram__step--current').innerText());
      }
      assert.ok(found, `${key}: no ${line} on the diagram`);
      // Stepping brings the view into sight: the current arrow and its explanation are on a
      // 1280x720 screen, below the table and the chart as they are.
      for (const selector of ['.diagram__step--current', '.explanation__title']) {
        const box = await page.locator(selector).boundingBox();
        assert.ok(box && box.y >= 0 && box.y + box.height <= 720, `${key} ${label}: ${selector} at ${JSON.stringify(box)}`);
      }
      if (key === 'smtp-well') {
        // Which round trips disappear, each option run on its own (crates/sim/tests/lab.rs).
        assert.match(await page.locator('.lab__summary').innerText(),
          /Against one command at a time: TLS from the first byte saves 2 \(STARTTLS and the second EHLO\); AUTH's initial response saves 1 \(the 334 challenge\); PIPELINING saves 2/);
      }
      assert.ok((await page.locator('.explanation__title').innerText()).length > 5);
      assert.match(await page.locator('.explanation .badge').first().innerText(), new RegExp(badge));
      if (badge === 'HTTP') {
        // Each line of the HTTP message, with its RFC 9110/9112 section.
        const sections = await page.locator('.lab__line a').allInnerTexts();
        assert.ok(sections.some((s) => /RFC 911[02]/.test(s)), sections.join());
      }
      await page.screenshot({ path: `${SHOTS}/lab-${key}-${label}-1280x720.png` });
    }
    await page.context().close();
  });
}

test('the keyboard chooses views and latencies; a share link opens the same settings', async () => {
  const page = await open();
  // The first Tab shows the skip link, as on the explorer; Enter puts the focus on Step.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.action), 'step');
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press('4');
  await settle(page);
  assert.equal(await page.getAttribute('.lab__tab[data-view="jmap"]', 'aria-selected'), 'true');
  await page.keyboard.press(']');
  await settle(page);
  assert.equal(await page.getAttribute('[data-rtt="150"]', 'aria-pressed'), 'true');
  await page.keyboard.press('ArrowLeft');
  await settle(page);
  // The explorer's controls: the position, the simulated clock, Step and Back.
  const position = () => page.locator('.controls__position').innerText();
  const at = await position();
  assert.match(at, /^Step \d+ of \d+$/);
  assert.match(await page.locator('.controls__time').innerText(), /^t = \d+\.\d{3} s$/);
  await page.click('[data-action=back]');
  await settle(page);
  assert.notEqual(await position(), at);
  await page.click('[data-action=step]');
  await settle(page);
  assert.equal(await position(), at);
  // Play steps on by itself; pausing stops it.
  await page.click('[data-action=first]');
  await page.selectOption('[data-action=speed]', '400');
  await page.click('[data-action=play]');
  await page.waitForFunction(() => document.querySelector('.controls__position').textContent.startsWith('Step 3 '));
  await page.click('[data-action=play]');
  await settle(page);
  assert.equal(await page.getAttribute('[data-action=play]', 'aria-pressed'), 'false');
  await page.click('[data-action=last]');
  await page.keyboard.press('ArrowLeft');
  await settle(page);
  assert.equal(await position(), at);
  const step = await page.locator('.explanation .panel__title').innerText();
  await page.click('[data-action=share]');
  await settle(page);
  const link = await page.inputValue('.banner__link');
  assert.match(link, /lab\.html#lab=rtt-150,bw-20000,view-jmap,step-\d+$/);
  const again = await open(link.slice(link.indexOf('#')));
  assert.equal(await again.getAttribute('[data-rtt="150"]', 'aria-pressed'), 'true');
  assert.equal(await again.getAttribute('.lab__tab[data-view="jmap"]', 'aria-selected'), 'true');
  assert.equal(await again.locator('.explanation .panel__title').innerText(), step);
  // The shared step is in sight as the link opens, under the table and the chart.
  for (const selector of ['.diagram__step--current', '.explanation__title']) {
    const box = await again.locator(selector).boundingBox();
    assert.ok(box && box.y >= 0 && box.y + box.height <= 720, `shared: ${selector} at ${JSON.stringify(box)}`);
  }
  await again.context().close();
  // A link that cannot be read says so and opens the defaults.
  const broken = await open('#lab=rtt-fast');
  assert.match(await broken.locator('.banner').first().innerText(), /could not be opened/);
  await broken.context().close();
  await page.context().close();
});

test('every page links the lab in its bar', async () => {
  const page = await open();
  for (const path of ['', 'compare.html', 'console.html', 'lessons.html', 'lab.html']) {
    await page.goto(server.url + path);
    await page.waitForSelector('.topbar');
    // In sight on its own page, under "More" on the others.
    assert.equal(await page.getAttribute('.topbar__views [data-view=lab]', 'href'), 'lab.html', path);
  }
  await page.context().close();
});
