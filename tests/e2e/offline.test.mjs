// End to end: offline and installable. After one visit every page (each dist/*.html, whatever
// pages there are) opens and works with no network, served under a sub-path as on a school's
// host; a new build is offered ("A new version is ready — reload") only once it is cached
// whole, and the page moves to it only when asked; Chromium finds the app installable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serveDist } from './static-server.mjs';
import { CHROMIUM, settle } from './support.mjs';

const SHOTS = 'target/screenshots';
let browser;
let copy;
const problems = [];

// What shows that each known page is up, and one thing it does; any other page shows its bar.
const PAGES = {
  'index.html': { ready: '.transcript__step--current', act: async (page) => {
    const before = await page.locator('.controls__position').innerText();
    await page.keyboard.press('ArrowRight');
    await settle(page);
    assert.notEqual(await page.locator('.controls__position').innerText(), before, 'the explorer steps offline');
  } },
  'compare.html': { ready: '.compare__columns', act: async (page) => {
    await page.click('[data-control=forward]');
    await settle(page);
    assert.equal(await page.locator('.compare__chip--current').count(), 1);
    assert.match(await page.locator('.compare__outcome caption').innerText(), /After step 2 of/);
  } },
  'console.html': { ready: '.console__line', act: async (page) => {
    assert.ok(await page.locator('.console__line').count() > 0);
  } },
  'lessons.html': { ready: '.picker__lesson', act: async (page) => {
    // The list comes from lessons/index.txt and the lesson files: fetched, so cached too.
    assert.ok(await page.locator('.picker__lesson').count() >= 5);
  } },
};

before(async () => {
  await mkdir(SHOTS, { recursive: true });
  // A copy: the update test deploys a changed build over it.
  copy = await mkdtemp(join(tmpdir(), 'postroom-offline-'));
  await cp('dist', copy, { recursive: true });
  browser = await chromium.launch(CHROMIUM);
});

after(async () => {
  await browser?.close();
  if (copy) await rm(copy, { recursive: true, force: true });
  assert.deepEqual(problems, []);
});

async function visit(context, url) {
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(url);
  // The worker has cached the whole build and serves this page.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60000 });
  return page;
}

test('after one visit, every page opens, reloads and works offline under a sub-path', async () => {
  const server = await serveDist('dist', { base: '/postroom/' });
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  try {
    const page = await visit(context, server.url);
    const pages = (await readdir('dist')).filter((f) => f.endsWith('.html')).sort();
    assert.ok(pages.length >= 4, `pages: ${pages}`);
    await context.setOffline(true);
    // Opened for the first time with no network: the worker kept every page of the build.
    for (const name of pages) {
      const known = PAGES[name] ?? { ready: '.topbar', act: async () => {} };
      await page.goto(server.url + name);
      await page.waitForSelector(known.ready);
      await page.reload();
      await page.waitForSelector(known.ready);
      await known.act(page);
      assert.ok(await page.evaluate(() => navigator.serviceWorker.controller !== null), name);
      console.log(`offline: ${name} opens, reloads and works`);
    }
    await page.goto(server.url);
    await page.waitForSelector(PAGES['index.html'].ready);
    await page.screenshot({ path: `${SHOTS}/offline-explorer-1280x720.png` });
    // Only this build's files were fetched: nothing outside /postroom/ (the server refuses it).
    const urls = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    assert.ok(urls.every((u) => u.startsWith(server.url)), urls.join('\n'));
  } finally {
    await context.close();
    await server.close();
  }
});

test('a new build is offered once cached, and the page moves to it only when asked', async () => {
  const server = await serveDist(copy);
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  try {
    const page = await visit(context, server.url);
    await page.waitForSelector('.transcript__step--current');
    const oldTitle = await page.title();
    const oldCaches = await page.evaluate(() => caches.keys());
    assert.equal(oldCaches.length, 1);
    // Deploy a changed build: a visible change in the explorer's page, and the worker
    // written again from the files, as scripts/build-web does.
    const html = join(copy, 'index.html');
    const changed = (await readFile(html, 'utf8'))
      .replace('<title>Postroom — watch an email travel', '<title>Postroom (new build) — watch an email travel')
      .replace('</head>', '<style>.topbar__brand::after{content:" · new build"}</style></head>');
    await writeFile(html, changed);
    console.log(execFileSync('python3', ['scripts/build-offline', copy]).toString().trim());
    // The page looks for a build when the class comes back to it; here, at once.
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    const prompt = page.locator('.update');
    await prompt.waitFor({ timeout: 60000 });
    assert.match(await prompt.textContent(), /A new version is ready — reload/);
    await page.screenshot({ path: `${SHOTS}/offline-update-prompt-1280x720.png` });
    // Not mixed: until the class reloads, every page gets the old build, even a new tab.
    const other = await context.newPage();
    await other.goto(server.url);
    await other.waitForSelector('.transcript__step--current');
    assert.equal(await other.title(), oldTitle);
    assert.equal(await page.title(), oldTitle);
    await other.close();
    await Promise.all([page.waitForEvent('load'), prompt.locator('button').click()]);
    await page.waitForSelector('.transcript__step--current');
    assert.match(await page.title(), /new build/);
    assert.match(await page.evaluate(() => getComputedStyle(document.querySelector('.topbar__brand'), '::after').content), /new build/);
    const newCaches = await page.evaluate(() => caches.keys());
    assert.equal(newCaches.length, 1, 'the old build is gone once the new one serves');
    assert.notEqual(newCaches[0], oldCaches[0]);
    await page.screenshot({ path: `${SHOTS}/offline-after-update-1280x720.png` });
  } finally {
    await context.close();
    await server.close();
  }
});

test('the manifest is valid, every page links it, and Chromium finds the app installable', async () => {
  const server = await serveDist('dist', { base: '/postroom/' });
  // A profile on disk: Chromium never offers to install from an incognito window.
  const profile = await mkdtemp(join(tmpdir(), 'postroom-install-'));
  const context = await chromium.launchPersistentContext(profile, CHROMIUM);
  try {
    const page = await visit(context, server.url);
    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send('Page.getAppManifest');
    assert.deepEqual(manifest.errors, [], JSON.stringify(manifest.errors));
    const parsed = JSON.parse(manifest.data);
    assert.equal(parsed.short_name, 'Postroom');
    const sizes = parsed.icons.map((i) => `${i.sizes} ${i.purpose}`);
    for (const want of ['192x192 any', '512x512 any', '512x512 maskable']) assert.ok(sizes.includes(want), sizes.join());
    for (const icon of parsed.icons) {
      const response = await page.request.get(new URL(icon.src, manifest.url).href);
      assert.equal(response.status(), 200, icon.src);
    }
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, [], JSON.stringify(installabilityErrors));
    console.log(`installable: ${manifest.url}, no installability errors`);
    for (const name of (await readdir('dist')).filter((f) => f.endsWith('.html'))) {
      const text = await readFile(join('dist', name), 'utf8');
      assert.match(text, /<link rel=manifest href=manifest.webmanifest>/, name);
      assert.match(text, /register\('sw\.js'/, name);
    }
  } finally {
    await context.close();
    await server.close();
    await rm(profile, { recursive: true, force: true });
  }
});
