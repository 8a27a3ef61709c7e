// End to end: in front of the class. On a 1280x720 projector (and 1024x768), with and
// without projector mode, every step of the classroom story shows its arrow, the first line
// of its explanation and the controls without scrolling, and nothing covers them. Host names
// fit their boxes, no reply is cut, steps to come stay readable, and the POP3 vs IMAP columns
// stand side by side. Screenshots of each case go to target/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settle, watch, servedPages } from './support.mjs';

const SHOTS = 'target/screenshots';
const problems = [];
// The built pages and Chromium, for every test of this file.
const run = servedPages(SHOTS);

// A fresh browser at this size, with projector mode saved as on or off (as a teacher who
// chose it on an earlier visit), on `path`.
async function open(path, { width, height, projector = false, colorScheme = 'light' }) {
  const context = await run.browser.newContext({ viewport: { width, height }, colorScheme });
  await context.addInitScript((on) => {
    if (!sessionStorage.getItem('opened')) {
      localStorage.setItem('postroom.projector', on ? 'on' : 'off');
      sessionStorage.setItem('opened', '1');
    }
  }, projector);
  const page = await context.newPage();
  watch(page, problems);
  await page.goto(run.server.url + path);
  return page;
}

// Whether each element `selector` finds (or, for `line`, the first line of its text) is
// inside the viewport and on top at its centre: what is there is the element or inside it.
function inView(page, selector, { line = false } = {}) {
  return page.evaluate(({ selector, line }) => {
    const el = document.querySelector(selector);
    if (!el) return `${selector}: missing`;
    let box = el.getBoundingClientRect();
    if (line) {
      // The first line of its text: the box of its first word.
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      let text = walker.nextNode();
      while (text && !text.textContent.trim()) text = walker.nextNode();
      if (!text) return `${selector}: no text`;
      const range = document.createRange();
      const start = text.textContent.search(/\S/);
      const end = text.textContent.slice(start).search(/\s|$/) + start;
      range.setStart(text, start);
      range.setEnd(text, Math.max(end, start + 1));
      box = range.getClientRects()[0];
    }
    const { innerWidth: w, innerHeight: h } = window;
    const where = `${Math.round(box.left)},${Math.round(box.top)} ${Math.round(box.width)}x${Math.round(box.height)}`;
    if (box.width <= 0 || box.height <= 0) return `${selector}: empty box`;
    if (box.left < -1 || box.top < -1 || box.right > w + 1 || box.bottom > h + 1) {
      return `${selector}: outside the ${w}x${h} viewport at ${where}`;
    }
    const x = box.left + box.width / 2;
    const y = box.top + box.height / 2;
    const top = document.elementFromPoint(x, y);
    if (!top || !(top === el || el.contains(top))) {
      return `${selector}: covered at ${where} by ${top?.className || top?.tagName}`;
    }
    return null;
  }, { selector, line });
}

const position = (page) => page.locator('.controls__position').innerText();
const total = async (page) => Number((await position(page)).split(' of ')[1]);

// What must show at every step: the current arrow (or note), its label, the explanation's
// title and first line, and the controls.
async function checkStep(page, i) {
  // The arrow's flight (half a second) is played to its end: what is checked is the step as
  // the class sees it once the message has arrived.
  await page.evaluate(() => document.getAnimations().forEach((a) => a.finish()));
  const arrow = (await page.locator('.diagram__step--current .diagram__arrow').count()) > 0
    ? '.diagram__step--current .diagram__arrow'
    : '.diagram__step--current .diagram__note';
  const label = (await page.locator('.diagram__step--current .diagram__label').count()) > 0
    ? '.diagram__step--current .diagram__label'
    : '.diagram__step--current .diagram__note';
  const failures = [];
  for (const [selector, options] of [
    [arrow, {}],
    [label, { line: true }],
    ['.explanation__title', { line: true }],
    ['.explanation__why', { line: true }],
    ['[data-action=step]', {}],
    ['[data-action=back]', {}],
    ['.controls__range', {}],
    ['.controls__position', {}],
  ]) {
    const problem = await inView(page, selector, options);
    if (problem) failures.push(problem);
  }
  return failures.map((f) => `step ${i}: ${f}`);
}

const CASES = [
  { width: 1280, height: 720, projector: false },
  { width: 1280, height: 720, projector: true },
  { width: 1024, height: 768, projector: false },
  { width: 1024, height: 768, projector: true },
];
const name = (c) => `${c.width}x${c.height}${c.projector ? '-projector' : ''}`;
const checked = [];

for (const c of CASES) {
  test(`explorer at ${name(c)}: every step shows its arrow, its explanation and the controls`, async () => {
    const page = await open('', c);
    await page.waitForSelector('.transcript__step--current');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.projector === 'on'), c.projector);
    // Nothing scrolls the page itself: the panels scroll inside.
    assert.deepEqual(await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]),
      [c.width, c.height]);
    const n = await total(page);
    const failures = [];
    const shots = new Set([1, 13, n]);
    for (let i = 1; i <= n; i++) {
      assert.equal(await position(page), `Step ${i} of ${n}`);
      failures.push(...await checkStep(page, i));
      const line = await page.locator('.diagram__step--current .diagram__label, .diagram__step--current .diagram__note').first().innerText();
      if (line.startsWith('ANSWER example.net.')) {
        // The MX answer is whole, not cut to "…MX 10 mx.ex…".
        assert.match(line, /IN MX 10 mx\.example\.net\.$/);
        shots.add(i);
      }
      if (/^(RETR 1|A\d+ UID FETCH)/.test(line)) shots.add(i);
      if (shots.has(i)) await page.screenshot({ path: `${SHOTS}/fit-explorer-${name(c)}-step${String(i).padStart(2, '0')}.png` });
      if (i < n) {
        await page.keyboard.press('ArrowRight');
        await settle(page);
      }
    }
    checked.push(`${name(c)}: ${n} steps`);
    assert.deepEqual(failures, []);
    await page.context().close();
  });
}

test('host names fit their boxes, labels grow in projector mode, steps to come reach 3:1', async () => {
  const sizes = {};
  for (const c of CASES) {
    for (const colorScheme of ['light', 'dark']) {
      const page = await open('', { ...c, colorScheme });
      await page.waitForSelector('.transcript__step--current');
      for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowRight');
      await settle(page);
      const seen = await page.evaluate(() => {
        // WCAG contrast of two computed colours.
        const rgb = (css) => css.match(/[\d.]+/g).slice(0, 3).map(Number);
        const lum = (css) => {
          const [r, g, b] = rgb(css).map((v) => {
            const c = v / 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
          });
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        const ratio = (a, b) => {
          const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
          return (x + 0.05) / (y + 0.05);
        };
        const panel = getComputedStyle(document.querySelector('.diagram')).backgroundColor;
        const future = document.querySelector('.diagram__step--future');
        const shaft = getComputedStyle(future.querySelector('.diagram__arrow'), '::before').borderTopColor;
        return {
          overflowing: [...document.querySelectorAll('.diagram__host')]
            .filter((h) => h.scrollWidth > h.clientWidth + 1 || [...h.children].some((c) => c.scrollWidth > c.clientWidth + 1))
            .map((h) => h.innerText.replace(/\n/g, ' ')),
          label: parseFloat(getComputedStyle(document.querySelector('.diagram__step--current .diagram__label')).fontSize),
          futureText: ratio(getComputedStyle(future.querySelector('.diagram__label')).color, panel),
          futureArrow: ratio(shaft, panel),
          opacity: getComputedStyle(future).opacity,
        };
      });
      assert.deepEqual(seen.overflowing, [], `${name(c)} ${colorScheme}: host names overflow`);
      assert.ok(seen.futureText >= 4.5, `${name(c)} ${colorScheme}: ${JSON.stringify(seen)}`);
      assert.ok(seen.futureArrow >= 3, `${name(c)} ${colorScheme}: ${JSON.stringify(seen)}`);
      assert.equal(seen.opacity, '1');
      sizes[name(c)] = seen.label;
      if (colorScheme === 'dark') await page.screenshot({ path: `${SHOTS}/fit-explorer-${name(c)}-dark-step13.png` });
      await page.context().close();
    }
  }
  // Projector mode really enlarges the diagram's labels, to 18 px or more on a projector.
  assert.ok(sizes['1280x720-projector'] > sizes['1280x720'], JSON.stringify(sizes));
  assert.ok(sizes['1024x768-projector'] > sizes['1024x768'], JSON.stringify(sizes));
  assert.ok(sizes['1280x720-projector'] >= 18, JSON.stringify(sizes));
});

test('POP3 vs IMAP: the two columns stand side by side at 1280 px, projector mode too', async () => {
  for (const c of [CASES[0], CASES[1], { width: 1920, height: 1080, projector: true }]) {
    const page = await open('compare.html#compare=folders', c);
    await page.waitForSelector('.compare__column');
    await page.keyboard.press('End');
    await settle(page);
    const [pop3, imap] = await page.evaluate(() => ['pop3', 'imap'].map((k) => {
      const r = document.querySelector(`.compare__column[data-protocol=${k}]`).getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top };
    }));
    assert.ok(Math.abs(pop3.top - imap.top) < 1, `${name(c)}: same row ${JSON.stringify([pop3, imap])}`);
    assert.ok(pop3.right <= imap.left, `${name(c)}: POP3 left of IMAP ${JSON.stringify([pop3, imap])}`);
    assert.ok(imap.top < c.height, `${name(c)}: the columns start on screen`);
    await page.screenshot({ path: `${SHOTS}/fit-compare-${name(c)}.png` });
    await page.context().close();
  }
});

test('the tablet, 1920x1080 and the console look right', async () => {
  for (const c of [{ width: 820, height: 1180 }, { width: 820, height: 1180, projector: true }, { width: 1920, height: 1080 }, { width: 1920, height: 1080, projector: true }]) {
    const page = await open('', c);
    await page.waitForSelector('.transcript__step--current');
    for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowRight');
    await settle(page);
    assert.deepEqual((await checkStep(page, 13)), [], name(c));
    await page.screenshot({ path: `${SHOTS}/fit-explorer-${name(c)}-step13.png` });
    await page.context().close();
  }
  for (const c of CASES) {
    const page = await open('console.html', c);
    await page.waitForSelector('.console__line');
    for (const selector of ['.console__input', '.console__send', '.console__explain h3', '[data-control=reset]']) {
      assert.equal(await inView(page, selector), null, `${name(c)}: ${selector}`);
    }
    await page.screenshot({ path: `${SHOTS}/fit-console-${name(c)}.png` });
    await page.context().close();
  }
});

test('steps checked', () => {
  console.log(`# every step checked at ${checked.join(', ')}`);
  assert.equal(checked.length, CASES.length);
});

test('no page or console errors while fitting the room', () => {
  assert.deepEqual(problems, []);
});
