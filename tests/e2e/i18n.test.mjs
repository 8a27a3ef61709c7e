// End to end: the class's language. A link with ?lang=de opens the explorer in German
// (<html lang=de>, the top bar, the controls, an SMTP reply's explanation, its RFC link and
// the reply itself as sent), the top bar still fits 1280x720; the language menu switches to
// French, which stays after a reload; axe finds nothing serious in either. Screenshots go to
// target/screenshots/.
import fs from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { englishFragments, settle, seriousAxeViolations, servedPages } from './support.mjs';

const SHOTS = 'target/screenshots';
const problems = [];
// The built pages and Chromium, for every test of this file.
const run = servedPages(SHOTS);

const text = (page, selector) => page.locator(selector).first().innerText();

// Steps forward until the explanation's title starts with `title`; its step number.
async function stepTo(page, title) {
  for (let i = 0; i < 40; i++) {
    if ((await text(page, '.explanation__title')).startsWith(title)) return i;
    await page.click('[data-action="step"]');
    await settle(page);
  }
  assert.fail(`no step explained as “${title}…”`);
}

// Every item of the top bar inside the window and its words whole, and the bar at most two
// rows high, as in English at 1280x720 (the names of the views, then the buttons).
async function barFits(page) {
  return page.evaluate(() => {
    const bar = document.querySelector('.topbar');
    const items = [...bar.querySelectorAll('a, button, summary, select')];
    const name = (el) => el.textContent.trim() || el.getAttribute('aria-label');
    const outside = items.filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5).map(name);
    const cut = items.filter((el) => el.tagName !== 'SELECT' && el.scrollWidth > el.clientWidth + 1).map(name);
    const tallest = Math.max(...items.map((el) => el.getBoundingClientRect().height));
    return { outside, cut, height: bar.getBoundingClientRect().height, tallest };
  });
}

test('a link opens German, the menu switches to French, and French stays', async () => {
  // An English browser: the link decides.
  const context = await run.browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'en-US' });
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  await page.goto(`${run.server.url}index.html?lang=de`);
  await page.waitForSelector('.transcript__step--current');
  await settle(page);

  assert.equal(await page.evaluate(() => document.documentElement.lang), 'de');
  // Taken and remembered, the link leaves the address bar.
  assert.ok(!page.url().includes('lang='), page.url());
  assert.equal(await text(page, '.topbar__view[data-view="explore"]'), 'Erkunden');
  assert.equal(await text(page, '[data-action="share"]'), 'Teilen');
  assert.equal(await text(page, '[data-action="step"]'), 'Weiter ▶');
  assert.equal(await text(page, '[data-action="back"]'), '◀ Zurück');
  assert.match(await text(page, '.controls__position'), /^Schritt 1 von \d+$/);
  assert.equal(await page.locator('[data-action="lang"]').inputValue(), 'de');

  // An SMTP reply explained in German; its RFC link and the reply itself as they are.
  await stepTo(page, 'Der Server ist bereit: ');
  assert.match(await text(page, '.explanation__why'), /^Der Server spricht zuerst\. 220 heißt/);
  assert.equal(await text(page, '.explanation__rfc a'), 'RFC 5321 §4.3.1');
  assert.match(await text(page, '.transcript__step--current'), /220 /);
  assert.match(await text(page, '.explanation__title'), /^Der Server ist bereit: \S/);
  // The client's next command, explained in German; the command itself as sent.
  await stepTo(page, 'Der Client stellt sich als ');
  assert.match(await text(page, '.explanation__title'), /^Der Client stellt sich als \S+ vor \(erweitertes SMTP\)$/);
  assert.match(await text(page, '.explanation__why'), /^EHLO eröffnet das Gespräch/);
  assert.match(await text(page, '.transcript__step--current'), /EHLO /);
  // The page's own words around the bytes: the transcript's toggle, the empty mailboxes.
  assert.equal((await text(page, '.transcript__toggle')).trim(), 'Bytes zeigen (CR LF)');
  assert.equal(await text(page, '.mailbox__empty'), 'leer');
  // The Compose panel speaks German; the addresses stay as typed.
  await page.click('[data-action="compose"]');
  await page.waitForSelector('.scenario');
  assert.equal(await text(page, '#scenario-title'), 'Verfassen, Geräte und Störungen');
  assert.equal(await text(page, '[data-action="send"]'), 'Diese E-Mail senden');
  assert.match(await text(page, '.scenario__faults'), /Alice tippt ein falsches Passwort/);
  assert.equal(await page.locator('.scenario [name=from]').inputValue(), 'alice@example.org');
  assert.deepEqual(await seriousAxeViolations(page), []);
  await page.keyboard.press('Escape');
  await page.waitForSelector('.scenario', { state: 'detached' });

  const fit = await barFits(page);
  assert.deepEqual(fit.outside, [], 'top bar items outside the window');
  assert.deepEqual(fit.cut, [], 'top bar items cut short');
  // German's longer words: the bar's name gives its room, and the bar keeps one row.
  assert.ok(fit.height < fit.tallest * 2, `the top bar takes ${fit.height}px: more than one row`);
  assert.equal(await page.evaluate(() => document.documentElement.hasAttribute('data-tight')), true);
  await page.screenshot({ path: `${SHOTS}/i18n-explorer-de.png` });
  assert.deepEqual(await seriousAxeViolations(page), []);

  // The menu: French, at once and after a reload.
  await Promise.all([
    page.waitForEvent('load'),
    page.selectOption('[data-action="lang"]', 'fr'),
  ]);
  await page.waitForSelector('.transcript__step--current');
  await settle(page);
  for (const round of ['switched', 'reloaded']) {
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr', round);
    assert.equal(await text(page, '[data-action="step"]'), 'Étape ▶', round);
    assert.equal(await text(page, '.topbar__view[data-view="lessons"]'), 'Leçons', round);
    assert.match(await text(page, '.controls__position'), /^Étape \d+ sur \d+$/, round);
    assert.equal(await page.locator('[data-action="lang"]').inputValue(), 'fr', round);
    if (round === 'switched') {
      await page.reload();
      await page.waitForSelector('.transcript__step--current');
      await settle(page);
    }
  }
  await stepTo(page, 'Le serveur est prêt\u00a0: ');
  const fitFr = await barFits(page);
  assert.deepEqual(fitFr.outside, [], 'top bar items outside the window');
  assert.deepEqual(fitFr.cut, [], 'top bar items cut short');
  assert.ok(fitFr.height < fitFr.tallest * 2, `the top bar takes ${fitFr.height}px: more than one row`);
  await page.screenshot({ path: `${SHOTS}/i18n-explorer-fr.png` });
  assert.deepEqual(await seriousAxeViolations(page), []);

  // POP3 vs IMAP in French, as remembered: its toolbar and outcome table.
  await page.goto(`${run.server.url}compare.html`);
  await page.waitForSelector('.compare__outcome');
  await settle(page);
  assert.equal(await text(page, '[data-control="forward"]'), 'étape ▶');
  assert.match(await text(page, '.compare__outcome caption'), /^Après l'étape 1 sur \d+$/);
  assert.equal(await text(page, '.compare__column[data-protocol=imap] .compare__title'), 'IMAP · une boîte, plusieurs vues');
  await page.screenshot({ path: `${SHOTS}/i18n-compare-fr.png` });
  assert.deepEqual(await seriousAxeViolations(page), []);
  await context.close();
  assert.deepEqual(problems, []);
});

// What a student reads of the story, not the bytes on the wire: the lanes, the explanation
// with the sessions' states, the stages, the mailboxes and the hosts' own notes.
// The words of the elements `selectors` find, as shown (`innerText`) or as written (`textContent`,
// where a panel's title is shown in capitals), with a field's placeholder.
const wordsOn = (page, selectors, read = 'innerText') => page.evaluate(([selectors, read]) => selectors
  .flatMap((s) => [...document.querySelectorAll(s)].map((el) => `${el[read]} ${el.getAttribute('placeholder') ?? ''}`))
  .join('\n'), [selectors, read]);

const storyWords = (page) => wordsOn(page, [
  '.diagram__hosts', '.explanation', '.controls__phase', '.mailbox', '.diagram__note',
  '.transcript__step--local',
]);

// English too: there, only a text shown as its id would be found.
for (const lang of ['en', 'de', 'fr']) {
  test(`${lang}: no text of the explorer's story is left in English or shown as its id, step by step`, async () => {
    const context = await run.browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    // The default story: submission, DNS, the relay, POP3 on the phone, IMAP on the laptop.
    await page.goto(`${run.server.url}index.html?lang=${lang}`);
    await page.waitForSelector('.transcript__step--current');
    await settle(page);
    const fragments = englishFragments(lang);
    assert.ok(fragments.length > 300, `only ${fragments.length} English fragments`);
    const left = new Map();
    const count = Number((await text(page, '.controls__position')).match(/(\d+)\D*$/)[1]);
    for (let step = 1; step <= count; step++) {
      const words = await storyWords(page);
      for (const f of fragments) if (words.includes(f) && !left.has(f)) left.set(f, step);
      if (step < count) {
        await page.click('[data-action="step"]');
        await settle(page);
      }
    }
    assert.deepEqual([...left].map(([f, step]) => `step ${step}: ${f}`), []);
    await page.screenshot({ path: `${SHOTS}/i18n-explorer-${lang}-end.png` });
    assert.deepEqual(await seriousAxeViolations(page), []);
    await context.close();
  });
}

// What a student reads of the comparison, not the lines on the wire: the toolbar and lesson,
// the actions, the shelves, what changed and the outcome table.
const compareWords = (page) => wordsOn(page, [
  '.compare__toolbar', '.compare__chips', '.compare__shelf', '.compare__changes',
  '.compare__outcome', '.compare__title',
]);

for (const lang of ['en', 'de', 'fr']) {
  test(`${lang}: no text of any lesson of the POP3 vs IMAP page is left in English or shown as its id`, async () => {
    const context = await run.browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(`${run.server.url}compare.html?lang=${lang}`);
    await page.waitForSelector('.compare__outcome');
    await settle(page);
    const fragments = englishFragments(lang);
    const left = new Map();
    const lessons = await page.locator('[data-control="preset"] option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
    assert.equal(lessons.length, 5);
    for (const lesson of lessons) {
      await page.selectOption('[data-control="preset"]', lesson);
      await page.waitForSelector('.compare__chip');
      await settle(page);
      const count = await page.locator('.compare__chip').count();
      for (let step = 1; step <= count; step++) {
        const words = await compareWords(page);
        for (const f of fragments) if (words.includes(f) && !left.has(f)) left.set(f, `${lesson} ${step}`);
        if (step < count) {
          await page.click('[data-control="forward"]');
          await settle(page);
        }
      }
    }
    assert.deepEqual([...left].map(([f, at]) => `${at}: ${f}`), []);
    await page.screenshot({ path: `${SHOTS}/i18n-compare-${lang}-end.png` });
    assert.deepEqual(await seriousAxeViolations(page), []);
    await context.close();
  });
}

// The console in German: the page's words, the explanation of a typed command and the
// server's state; the command and the reply as sent.
test('de: the console explains a typed command in German and keeps the protocol as sent', async () => {
  const context = await run.browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'en-US' });
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(`${run.server.url}console.html?lang=de`);
  await page.waitForSelector('#console-input');
  await settle(page);
  await page.fill('#console-input', 'EHLO laptop.example.org');
  await page.press('#console-input', 'Enter');
  await page.waitForSelector('.console__line--server');
  await page.locator('.console__line--client').last().click();
  await settle(page);
  assert.match(await text(page, '.console__explain h3'), /^Der Client stellt sich als laptop\.example\.org vor/);
  assert.match(await text(page, '.console__state'), /^Zustand des SMTP-Servers: /);
  assert.match(await text(page, '.console__line--client'), /EHLO laptop\.example\.org/);
  const fragments = englishFragments('de');
  const words = await wordsOn(page, ['.console__side', '.console__choices', '.console__shared', '.topbar', '.console__form', '#console-input']);
  assert.deepEqual(fragments.filter((f) => words.includes(f)), []);
  await page.screenshot({ path: `${SHOTS}/i18n-console-de.png` });
  assert.deepEqual(await seriousAxeViolations(page), []);
  await context.close();
});

// The round-trip lab in German: its controls, table, chart and summary; the paths' numbers as
// computed.
test('de: the round-trip lab speaks German around its numbers', async () => {
  const context = await run.browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'en-US' });
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(`${run.server.url}lab.html?lang=de`);
  await page.waitForSelector('.chart__note');
  await settle(page);
  assert.equal(await page.locator('table caption').textContent(), 'Dieselbe E-Mail, auf vier Wegen');
  assert.match(await text(page, '.lab__summary'), /Der Absender weiß nach \d+ Hin und Zurück/);
  // Numbers with the German decimal comma: "1,05 s", never "1.05 s".
  const times = await page.locator('[data-field=time]').allInnerTexts();
  assert.ok(times.length >= 4, times.join(' | '));
  assert.deepEqual(times.filter((t) => /\d\.\d/.test(t)), []);
  const fragments = englishFragments('de');
  const words = await wordsOn(page, ['.lab__summary', '.chart figcaption', '.chart__note', 'table', '.lab__network', '.topbar', '.lab__tabs'], 'textContent');
  assert.deepEqual(fragments.filter((f) => words.includes(f)), []);
  await page.screenshot({ path: `${SHOTS}/i18n-lab-de.png` });
  assert.deepEqual(await seriousAxeViolations(page), []);
  await context.close();
});

// The lesson files' own English: each sentence of three words or more of a text the file
// also writes in `lang` (a text the same in both is no English left over).
function lessonFragments(lang) {
  const fragments = new Set();
  const visit = (value) => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== 'object') return;
    if (typeof value.en === 'string' && typeof value[lang] === 'string') {
      for (const part of value.en.split(/[.:;?!“”"]/)) {
        const words = part.trim();
        if (words.split(/\s+/).length >= 3 && !value[lang].includes(words)) fragments.add(words);
      }
      return;
    }
    Object.values(value).forEach(visit);
  };
  for (const file of fs.readdirSync('static/lessons').filter((f) => f.endsWith('.json'))) {
    visit(JSON.parse(fs.readFileSync(`static/lessons/${file}`, 'utf8')));
  }
  return [...fragments];
}

// A lesson in the class's language: the list, the intro, the goal, the moves, hints, a
// prediction and its explanation, and the solution, none of it left in English.
for (const lang of ['de', 'fr']) {
  test(`${lang}: a lesson speaks the class's language from the list to the solution`, async () => {
    const context = await run.browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    const fragments = [...englishFragments(lang), ...lessonFragments(lang)];
    assert.ok(lessonFragments(lang).length > 100, `only ${lessonFragments(lang).length} lesson fragments`);
    const left = new Map();
    // The protocol's own lines (a prediction's options, the reply) are as sent: left out.
    const look = async (where, selectors) => {
      const words = await page.evaluate((selectors) => selectors.flatMap((s) => [...document.querySelectorAll(s)])
        .map((el) => {
          const copy = el.cloneNode(true);
          copy.querySelectorAll('code').forEach((c) => c.remove());
          document.body.append(copy);
          const shown = copy.innerText;
          copy.remove();
          return shown;
        }).join('\n'), selectors);
      for (const f of fragments) if (words.includes(f) && !left.has(f)) left.set(f, where);
    };
    await page.goto(`${run.server.url}lessons.html?lang=${lang}`);
    await page.waitForSelector('.picker__lesson');
    await settle(page);
    await look('list', ['.lessons', '.topbar']);
    await page.click('a[href="#lesson=pop3-two-devices"]');
    await page.waitForSelector('.intro__card');
    for (let slide = 0; slide < 10 && await page.locator('.intro__card').count(); slide++) {
      await look(`slide ${slide + 1}`, ['.intro', '.topbar']);
      await page.click('[data-action=next-slide]');
      await settle(page);
    }
    await page.waitForSelector('.lesson__panel');
    await page.click('[data-action=hint]');
    await page.click('[data-action=hint]');
    await settle(page);
    await look('lesson', ['.lesson__panel']);
    // Step to the first prediction, answer it, and read its explanation.
    for (let i = 0; i < 120 && !(await page.locator('.predict__option').count()); i++) {
      await page.click('[data-action="step"]');
      await settle(page);
    }
    await look('question', ['.lesson__panel']);
    assert.ok(await page.locator('.predict__option').count() >= 3);
    await page.click('.predict__option[data-option="0"]');
    await settle(page);
    await look('answer', ['.lesson__panel']);
    await page.click('[data-action=continue]');
    await page.click('[data-action=solution]');
    await page.click('[data-action=solution-next]');
    await settle(page);
    await look('solution', ['.lesson__panel']);
    assert.deepEqual([...left].map(([f, at]) => `${at}: ${f}`), []);
    if (lang === 'de') {
      assert.match(await text(page, '.solution'), /Telefon von Bob/);
      assert.match(await text(page, '.goal'), /Ziel/i);
    }
    await page.screenshot({ path: `${SHOTS}/i18n-lesson-${lang}.png` });
    assert.deepEqual(await seriousAxeViolations(page), []);
    await context.close();
  });
}

// A pasted log in the class's language: the paste page, what was read (format, why this
// protocol, counts, notices) and every finding's title and why; the log's lines as sent.
for (const lang of ['de', 'fr']) {
  test(`${lang}: a pasted log is read and judged in the class's language`, async () => {
    const context = await run.browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    const fragments = englishFragments(lang);
    const left = new Map();
    const look = async (where, selectors) => {
      const words = await wordsOn(page, selectors, 'textContent');
      for (const f of fragments) if (words.includes(f) && !left.has(f)) left.set(f, where);
    };
    await page.goto(`${run.server.url}log.html?lang=${lang}`);
    await page.waitForSelector('[data-example]');
    await settle(page);
    await look('paste page', ['.logpage', '.topbar']);
    // s_client took a line as its own command, and the session ends without QUIT.
    for (const example of ['openssl-pop3', 'swaks', 'imaplib']) {
      if (await page.locator('[data-action=edit]').count()) await page.click('[data-action=edit]');
      await page.click(`[data-example=${example}]`);
      await page.waitForSelector('.diagram__step--current');
      await settle(page);
      await look(example, ['.logsum', '.explanation', '.topbar']);
    }
    assert.ok(await page.locator('.logsum').count());
    assert.deepEqual([...left].map(([f, at]) => `${at}: ${f}`), []);
    await page.screenshot({ path: `${SHOTS}/i18n-log-${lang}.png` });
    assert.deepEqual(await seriousAxeViolations(page), []);
    await context.close();
  });
}

// The printed handout in German and French: its headings, every step's explanation, the
// diagram's lanes and notes, how the story ends and the mailboxes; the lines as sent.
for (const lang of ['de', 'fr']) {
  test(`${lang}: the story's handout is written in the class's language`, async () => {
    const context = await run.browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(`${run.server.url}index.html?lang=${lang}`);
    await page.waitForSelector('.transcript__step--current');
    await page.click('[data-action=export] summary');
    await page.locator('[data-action=export] .menu__item').first().click();
    await page.waitForSelector('.handout');
    await settle(page);
    const words = await wordsOn(page, ['.handout'], 'textContent');
    const left = englishFragments(lang).filter((f) => words.includes(f));
    assert.deepEqual(left, []);
    const heading = await page.locator('.handout h3').first().innerText();
    assert.notEqual(heading, 'Sequence diagram');
    await page.screenshot({ path: `${SHOTS}/i18n-handout-${lang}.png` });
    await context.close();
  });
}
