// End to end: the lessons page (lessons.html) in Debian's Chromium. Two lessons are played
// through the page — one with the mouse (a prediction answered wrong, one right, a hint,
// reset, the solution replayed, the goal met), one with the keyboard only — then the page is
// reloaded (the lesson stays ticked), the results are downloaded and opened as a teacher, and
// bad files and a corrupt save are shown to be harmless. Screenshots go to target/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { settle, seriousAxeViolations, watch, servedPages } from './support.mjs';

const SHOTS = 'target/screenshots';
const problems = [];
// The built pages and Chromium, for every test of this file.
const run = servedPages(SHOTS);

// A fresh browser on the projector's 1280×720 unless told otherwise.
async function newPage(options = {}) {
  const context = await run.browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 720 },
    colorScheme: options.colorScheme ?? 'light',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  watch(page, problems);
  return page;
}

async function openPicker(page) {
  await page.goto(`${run.server.url}lessons.html`);
  await page.waitForSelector('.picker__lesson');
}

const ticked = (page) => page.locator('.goal__item--ticked').count();
const goalItems = (page) => page.locator('.goal__item').count();

// The current arrow has finished its flight (at most 1.3 s): for screenshots.
const landed = (page) => page.waitForTimeout(1500);

// Steps to the end of what may be seen: the story stops before the reply asked about.
async function toTheQuestion(page) {
  await page.click('[data-action=last]');
  await settle(page);
  await page.waitForSelector('.predict--asking');
}

// The option whose text starts with `start`, or (with `not`) the first that does not.
async function option(page, start, not = false) {
  const texts = await page.locator('.predict__option').allInnerTexts();
  const i = texts.findIndex((t) => t.trim().startsWith(start) !== not);
  assert.ok(i >= 0, `no option ${not ? 'other than' : 'starting with'} ${start}: ${texts}`);
  return page.locator(`.predict__option[data-option="${i}"]`);
}

test('the picker lists every lesson by level and passes axe', async () => {
  const page = await newPage();
  await openPicker(page);
  assert.deepEqual(await page.locator('.picker__heading').allInnerTexts(),
    ['Beginner', 'Intermediate', 'Advanced', 'Hand in', 'For teachers']);
  assert.equal(await page.locator('.picker__lesson').count(), 12);
  assert.equal(await page.locator('[data-view=lessons]').getAttribute('aria-current'), 'page');
  assert.equal(await page.locator('.picker__lesson--done').count(), 0);
  assert.deepEqual(await seriousAxeViolations(page), []);
  await page.context().close();
});

test('a lesson with the mouse: hint, a wrong and a right prediction, the goal met, reset, the solution, and it stays ticked', async () => {
  const page = await newPage();
  await openPicker(page);
  await page.click('a[href="#lesson=pressing-send"]');
  await page.waitForSelector('.intro__card');
  assert.match(await page.locator('.intro__where').innerText(), /Slide 1 of 4/);
  assert.equal(await page.locator('.intro__rfc a').getAttribute('href'), 'https://www.rfc-editor.org/rfc/rfc4954#section-4');
  for (let i = 0; i < 4; i++) await page.click('[data-action=next-slide]');
  await page.waitForSelector('.goal');
  assert.equal(await ticked(page), 0);
  assert.equal(await goalItems(page), 4);

  await page.click('[data-action=hint]');
  await settle(page);
  assert.match(await page.locator('.hints__list').innerText(), /EHLO reply/);
  assert.match(await page.locator('[data-action=hint]').innerText(), /Hint \(1 of 2\)/);

  // The move: untick "no STARTTLS". The goal ticks; the story stops before STARTTLS's reply.
  await page.click('[data-form=faults] summary');
  await page.click('[data-fault=no-tls]');
  await settle(page);
  // The move meets the goal, but the questions hold back the part of the story that shows
  // it: no tick gives the answers away.
  assert.equal(await ticked(page), 0);
  assert.match(await page.locator('.goal__count').innerText(), /checked after your answer/);
  await toTheQuestion(page);
  assert.match(await page.locator('.predict__question').innerText(), /receives “STARTTLS”\. What will it answer\?/);
  assert.equal(await page.locator('.predict__option').count(), 4);
  assert.equal(await page.locator('[data-action=step]').isDisabled(), true, 'the story waits');
  // The reply is nowhere on the page yet.
  assert.doesNotMatch(await page.locator('.transcript').innerText(), /Ready to start TLS/);
  // As the class sees it: the top of the page (clicks above scrolled it to the controls).
  await page.evaluate(() => window.scrollTo(0, 0));
  await landed(page);
  await page.screenshot({ path: `${SHOTS}/lessons-prediction-1280x720.png` });

  // Wrong: then the real reply, its explanation and its RFC.
  await (await option(page, '220', true)).click();
  await settle(page);
  assert.match(await page.locator('.predict__verdict').innerText(), /Not quite/);
  assert.match(await page.locator('.predict').innerText(), /The server answered: 220 2\.0\.0 Ready to start TLS/);
  assert.equal(await page.locator('.predict__rfc a').getAttribute('href'), 'https://www.rfc-editor.org/rfc/rfc3207#section-4');
  assert.match(await page.locator('.transcript__step--current').innerText(), /220 2\.0\.0 Ready to start TLS/);
  await page.click('[data-action=continue]');

  // Right: the AUTH reply.
  await toTheQuestion(page);
  assert.match(await page.locator('.predict__question').innerText(), /AUTH PLAIN/);
  await (await option(page, '235')).click();
  await settle(page);
  assert.match(await page.locator('.predict__verdict').innerText(), /Right/);
  await page.click('[data-action=continue]');
  await page.click('[data-action=last]');
  await settle(page);
  assert.match(await page.locator('.done').innerText(), /Lesson complete[\s\S]*You took 1 move; the solution takes 1\. As few as the solution![\s\S]*Predictions: 1 right, 1 wrong/);
  await page.evaluate(() => window.scrollTo(0, 0));
  await landed(page);
  await page.screenshot({ path: `${SHOTS}/lessons-complete-1280x720.png` });
  assert.deepEqual(await seriousAxeViolations(page), []);

  // A reload in the middle of the lesson: the move is made again and the goal still holds.
  await page.reload();
  await page.waitForSelector('.intro__card');
  await page.click('.intro [data-action=skip-intro]');
  await page.waitForSelector('.goal');
  assert.equal(await ticked(page), 4);
  assert.match(await page.locator('.goal__moves').innerText(), /Your moves: 1 /);
  await page.click('[data-action=last]');
  await settle(page);
  assert.match(await page.locator('.done').innerText(), /Lesson complete/);

  // Reset: the fault is back and the goal open; what was learnt stays.
  await page.click('[data-action=reset]');
  await settle(page);
  assert.equal(await ticked(page), 0);
  assert.equal(await page.locator('.done').count(), 0);
  assert.match(await page.locator('.goal__moves').innerText(), /Your moves: 0/);
  assert.match(await page.locator('[data-action=hint]').innerText(), /1 of 2/);

  // Show solution: its one move, replayed; the goal ticks in the solution; back to the attempt.
  await page.click('[data-action=solution]');
  await settle(page);
  assert.match(await page.locator('.solution').innerText(), /0 of 1 move made[\s\S]*No more fault: The submission server offers no STARTTLS/i);
  await page.click('[data-action=solution-next]');
  await settle(page);
  assert.match(await page.locator('#goal-title').innerText(), /in the solution · 4 of 4/i);
  await page.click('[data-action=solution-close]');
  await settle(page);
  assert.equal(await ticked(page), 0);

  // A reload: the lesson is in the address (from its start, as Reset left it), and ticked
  // in the list.
  await page.reload();
  await page.waitForSelector('.intro__card');
  await page.click('.intro [data-action=skip-intro]');
  assert.match(await page.locator('.goal__moves').innerText(), /Your moves: 0 /);
  await page.click('.lesson__where a');
  await page.waitForSelector('.picker__lesson');
  assert.equal(await page.locator('.picker__lesson--done').count(), 1);
  assert.match(await page.locator('[data-lesson=pressing-send]').innerText(), /✓[\s\S]*Pressing Send[\s\S]*Done in 1 move/);
  await page.screenshot({ path: `${SHOTS}/lessons-picker-1280x720.png` });

  // The hand-in: download, then open it as a teacher.
  await page.fill('[data-control=name]', 'Sam');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-action=download]')]);
  assert.match(download.suggestedFilename(), /^postroom-results-\d{4}-\d{2}-\d{2}\.json$/);
  const file = `${SHOTS}/../lessons-results.json`;
  await download.saveAs(file);
  const results = JSON.parse(await readFile(file, 'utf8'));
  assert.equal(results.postroom_results, 1);
  assert.equal(results.name, 'Sam');
  const sent = results.lessons.find((l) => l.id === 'pressing-send');
  assert.deepEqual(
    [sent.done, sent.moves, sent.solution_moves, sent.predictions_right, sent.predictions_wrong, sent.hints, sent.solution_shown],
    [true, 1, 1, 1, 1, 1, true]);
  assert.equal(sent.attempt, undefined, 'the moves in progress are not handed in');

  const teacher = await newPage();
  await openPicker(teacher);
  await teacher.setInputFiles('[data-control=results-file]', file);
  await teacher.waitForSelector('[data-control=summary]');
  const summary = await teacher.locator('[data-control=summary]').innerText();
  assert.match(summary, /Sam, \d{4}-\d{2}-\d{2}: 1 of 1 lessons done; 1 of 2 predictions right\./);
  assert.match(summary, /Pressing Send: done in 1 move \(the solution takes 1\); predictions 1 right, 1 wrong; 1 hint; looked at the solution\./);
  await teacher.screenshot({ path: `${SHOTS}/lessons-teacher-summary-1280x720.png`, fullPage: true });
  await teacher.context().close();
  await page.context().close();
});

test('a lesson with the keyboard only: open it, start it, make the move, answer both predictions', async () => {
  const page = await newPage();
  await openPicker(page);
  // Tab to the lesson's link, as a keyboard user does.
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.getAttribute('href')) === '#lesson=greylisting') break;
  }
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('href')), '#lesson=greylisting');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.intro__card');
  // The arrow keys turn the slides, as a clicker does; then Tab to "Start the lesson".
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await settle(page);
  assert.match(await page.locator('.intro__where').innerText(), /Slide 3 of 3/);
  await tabTo(page, '[data-action=next-slide]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.goal');
  // The story's question about Bob's server waits ahead, so nothing is ticked yet.
  assert.equal(await ticked(page), 0, 'no tick while a question waits');
  assert.match(await page.locator('.goal__count').innerText(), /checked after your answer/);

  // The faults: open the list, tick greylisting with Space.
  await tabTo(page, '[data-form=faults] summary');
  await page.keyboard.press('Enter');
  await tabTo(page, '[data-fault=greylisting]');
  await page.keyboard.press('Space');
  await settle(page);
  // The story stops before Bob's server answers the RCPT: the question takes the focus.
  await page.waitForSelector('.predict--asking');
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('predict')), true);
  assert.match(await page.locator('.predict__question').innerText(), /RCPT TO:<bob@example\.net>/);
  await tabTo(page, '.predict__option', (t) => t.startsWith('451'));
  await page.keyboard.press('Enter');
  await settle(page);
  assert.match(await page.locator('.predict__verdict').innerText(), /Right/);
  // On to the next question: End goes as far as the story may be seen.
  await tabTo(page, '[data-action=continue]');
  await page.keyboard.press('Enter');
  await page.keyboard.press('End');
  await settle(page);
  await page.waitForSelector('.predict--asking');
  await tabTo(page, '.predict__option', (t) => t.startsWith('250'));
  await page.keyboard.press('Enter');
  await settle(page);
  assert.match(await page.locator('.predict__verdict').innerText(), /Right/);
  assert.equal(await ticked(page), 3);
  assert.match(await page.locator('.done').innerText(), /Predictions: 2 right, 0 wrong/);
  assert.deepEqual(await seriousAxeViolations(page), []);
  await page.context().close();
});

// Presses Tab until the focus is on an element `selector` matches (and `text` accepts).
async function tabTo(page, selector, text = () => true) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    const hit = await page.evaluate(([sel]) => {
      const el = document.activeElement;
      return el && el.matches(sel) ? el.innerText.trim() : null;
    }, [selector]);
    if (hit !== null && text(hit)) return;
  }
  assert.fail(`Tab never reached ${selector}`);
}

test('a comparison lesson: its own page, the action the goal needs, kept across a reload', async () => {
  const page = await newPage({ viewport: { width: 1920, height: 1080 } });
  // The address everyone knows leads to the page that runs comparison lessons.
  await page.goto(`${run.server.url}lessons.html#lesson=offline-and-back`);
  await page.waitForURL(/lessons-compare\.html#lesson=offline-and-back$/);
  await page.waitForSelector('.intro__card');
  assert.equal(await page.locator('[data-view=lessons]').getAttribute('aria-current'), 'page');
  await page.click('[data-action=skip-intro]');
  await page.waitForSelector('.compare__column');
  // The comparison's own editor is not offered: the lesson's moves are.
  assert.equal(await page.locator('.compare__toolbar').isVisible(), false);
  assert.equal(await page.locator('.goal__item--ticked').count(), 1);
  await page.click('[data-action=act] summary');
  await page.click('.menu__item:has-text("comes back online") >> nth=0');
  await settle(page);
  assert.equal(await ticked(page), 0, 'no tick while a question waits');
  // The new action sends what the predictions ask about: both worlds stop before it.
  await page.waitForSelector('.predict--asking');
  assert.match(await page.locator('.compare__outcome caption').innerText(), /After step 8 of 8/);
  assert.match(await page.locator('.predict__question').innerText(),
    /IMAP world, next action: phone comes back online\. The phone sends “A\d+ UID FETCH 1:\* \(FLAGS\) \(CHANGEDSINCE \d+\)”/);
  await page.screenshot({ path: `${SHOTS}/lessons-compare-prediction-1920x1080.png` });
  const fetchOptions = await page.locator('.predict__option').allInnerTexts();
  await page.click(`.predict__option[data-option="${fetchOptions.findIndex((t) => / OK UID FETCH completed$/.test(t.trim()))}"]`);
  assert.match(await page.locator('.predict__verdict').innerText(), /Right/);
  await page.click('[data-action=continue]');
  // The POP3 phone's STAT: how many messages are still on the POP3 server?
  await page.waitForSelector('.predict--asking');
  assert.match(await page.locator('.predict__question').innerText(), /POP3 world, .* sends “STAT”/);
  const counts = await page.locator('.predict__option').allInnerTexts();
  assert.equal(counts.filter((t) => t.trim().startsWith('+OK ')).length, counts.length);
  await page.click(`.predict__option[data-option="${counts.findIndex((t) => t.trim().startsWith('+OK 3 '))}"]`);
  assert.match(await page.locator('.predict').innerText(), /The server answered: \+OK 3 \d+/);
  await page.click('[data-action=continue]');
  await settle(page);
  assert.match(await page.locator('.compare__outcome caption').innerText(), /After step 9 of 9/);
  assert.equal(await ticked(page), 5);
  assert.match(await page.locator('.done').innerText(), /Lesson complete/);
  await page.screenshot({ path: `${SHOTS}/lessons-compare-complete-1920x1080.png` });
  assert.deepEqual(await seriousAxeViolations(page), []);
  // A reload: the action is made again.
  await page.reload();
  await page.waitForSelector('.intro__card');
  await page.click('[data-action=skip-intro]');
  await page.waitForSelector('.compare__column');
  assert.equal(await ticked(page), 5);
  // "All lessons" is the list on lessons.html, where the lesson is ticked; a link to it
  // comes back here.
  await page.click('.lesson__where a');
  await page.waitForURL(/lessons\.html$/);
  await page.waitForSelector('.picker__lesson');
  assert.match(await page.locator('[data-lesson=offline-and-back]').innerText(), /✓/);
  await page.click('[data-lesson=offline-and-back] a');
  await page.waitForURL(/lessons-compare\.html#lesson=offline-and-back$/);
  await page.waitForSelector('.intro__card');
  await page.context().close();
});

test("setting up a mail program: Alice's outgoing server fails one entry at a time until it is right", async () => {
  const page = await newPage();
  await page.goto(`${run.server.url}lessons.html#lesson=account-setup`);
  await page.waitForSelector('.intro__card');
  await page.click('[data-action=skip-intro]');
  await page.waitForSelector('[data-form=outgoing]');
  const save = async (fields) => {
    await page.click('[data-form=outgoing] summary');
    for (const [name, value] of Object.entries(fields)) {
      const el = page.locator(`[data-form=outgoing] [name=${name}]`);
      if (name === 'security') await el.selectOption(value); else await el.fill(value);
    }
    await page.click('[data-form=outgoing] button[type=submit]');
    await settle(page);
  };
  const transcript = () => page.locator('.transcript').innerText();
  // The right name, but port 25: nothing listens there on the provider's submission host.
  await save({ server: 'smtp.example.org' });
  assert.match(await transcript(), /connection refused: nothing listens on smtp\.example\.org port 25/);
  // 587 without security: the password crosses in clear, and the story stops to ask what
  // the server answers; it wants STARTTLS first.
  await save({ port: '587' });
  await toTheQuestion(page);
  assert.match(await page.locator('.predict__question').innerText(), /receives “AUTH PLAIN /);
  await (await option(page, '530')).click();
  assert.match(await page.locator('.predict__verdict').innerText(), /Right/);
  await page.click('[data-action=continue]');
  assert.match(await transcript(), /530 5\.7\.0 Must issue a STARTTLS command first/);
  await save({ security: 'starttls' });
  assert.match(await transcript(), /535 5\.7\.8 Authentication credentials invalid/);
  await page.screenshot({ path: `${SHOTS}/lessons-outgoing-535-1280x720.png` });
  await save({ user: 'alice@example.org' });
  assert.match(await transcript(), /235 2\.7\.0 Authentication successful/);
  assert.match(await page.locator('.goal__item', { hasText: 'finds its server and logs in' }).getAttribute('class'), /ticked/);
  assert.equal(await page.locator('.moves__made li').count(), 4);
  await page.context().close();
});

test('bad files, an unknown lesson and a corrupt save are reported, never a blank page', async () => {
  const page = await newPage();
  await openPicker(page);
  const lesson = await readFile('static/lessons/10-greylisting.json', 'utf8');
  // A bad lesson file pasted: the error names the field and the line.
  await page.fill('[data-control=paste]', lesson.replace('{"fault": "greylisting"}', '{"fault": "meteor"}'));
  await page.click('[data-action=paste-lesson]');
  assert.match(await page.locator('[data-control=file-error]').innerText(),
    /This lesson file cannot be used: line \d+, column \d+: in “solution\[0\]\.fault”: “meteor” is not a fault/);
  await page.setInputFiles('[data-control=results-file]', { name: 'r.json', mimeType: 'application/json', buffer: Buffer.from('{"postroom_results": 1}') });
  await page.waitForSelector('[data-control=file-error]:has-text("results file")');
  // A good one opens as a lesson.
  await page.fill('[data-control=paste]', lesson.replace('"id": "greylisting"', '"id": "my-greylisting"').replace('"title": {"en": "', '"title": {"en": "Mine: '));
  await page.click('[data-action=paste-lesson]');
  await page.waitForSelector('.intro__card');
  assert.match(await page.locator('.intro__title').innerText(), /^Mine: /);
  assert.match(page.url(), /#lesson=my-greylisting$/);
  // An unknown lesson in the address: a message, and the list.
  await page.goto(`${run.server.url}lessons.html#lesson=no-such-lesson`);
  await page.waitForSelector('.picker__lesson');
  assert.match(await page.locator('.banner--warning').innerText(), /no lesson “no-such-lesson”/);
  // A corrupt save: a clear message and a fresh start.
  await page.evaluate(() => localStorage.setItem('postroom.lessons.results', '{"postroom_results": 1, "date": "yesterday"'));
  await page.reload();
  await page.waitForSelector('.picker__lesson');
  assert.match(await page.locator('.banner--warning').innerText(), /saved lesson progress could not be read .* start fresh/);
  assert.equal(await page.locator('.picker__lesson--done').count(), 0);
  await page.screenshot({ path: `${SHOTS}/lessons-corrupt-save-1280x720.png` });
  await page.reload();
  await page.waitForSelector('.picker__lesson');
  assert.equal(await page.locator('.banner--warning').count(), 0, 'the broken save was replaced');
  await page.context().close();
});

test('no page or console errors on the lessons page', () => {
  assert.deepEqual(problems, []);
});
