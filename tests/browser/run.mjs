// Solidaria's browser tests: Playwright (playwright-core) driving Debian's Chromium, headless,
// against a running `solidaria serve --demo`. Run by crates/solidaria-cli/tests/browser.rs,
// which starts the server and the accounts, then calls:
//
//   node tests/browser/run.mjs http://127.0.0.1:PORT
//
// with SOLIDARIA_BROWSER_PASSWORD set to the password of the contributor `bob` and the moderator
// `mona`. Exits 0 when every scenario passes, 1 with the failing step otherwise.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';

const base = process.argv[2];
const password = process.env.SOLIDARIA_BROWSER_PASSWORD;
if (!base || !password) {
  console.error('usage: SOLIDARIA_BROWSER_PASSWORD=… node run.mjs http://127.0.0.1:PORT');
  process.exit(2);
}
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps trying to reach Google's hosts, which a
// closed network refuses many times a second.
const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

let failed = false;
async function scenario(name, body) {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  try {
    await body(page);
    console.log(`ok   ${name}`);
  } catch (e) {
    failed = true;
    console.log(`FAIL ${name}\n${e.stack || e}`);
  } finally {
    await context.close();
  }
}

async function logIn(page, user) {
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

const renamed = 'Caisse d\'économie solidaire Desjardins (edited in a browser)';

await scenario('search and facets find a cooperative, and its page explains each verdict', async (page) => {
  await page.goto(`${base}/`);
  // htmx replaces the results in place: a mark on the window survives, the address follows.
  await page.evaluate(() => { window.solidariaNoReload = true; });
  await page.getByLabel('Search actors by name or description').fill('solidaire');
  await page.getByRole('button', { name: 'Search' }).click();
  await expectUrl(page, /q=solidaire/);
  // Narrow to co-operatives with the legal-form facet.
  await page.locator('summary', { hasText: 'Legal form' }).click();
  await page.getByRole('link', { name: 'Co-operative', exact: true }).click();
  await expectUrl(page, /family=cooperative/);
  await page.locator('#results a[aria-current]', { hasText: 'Co-operative' }).waitFor({ state: 'attached' });
  assert.equal(await page.evaluate(() => window.solidariaNoReload), true, 'results replaced without a reload');
  await page.getByRole('link', { name: 'Caisse d\'économie solidaire Desjardins' }).click();
  await page.getByRole('heading', { level: 1, name: 'Caisse d\'économie solidaire Desjardins' }).waitFor();
  // Each profile's verdict comes with criteria, reasons and citations, folded per profile.
  const verdicts = page.locator('details.verdict');
  assert.ok((await verdicts.count()) >= 17, 'a verdict per actor profile');
  const qc = page.locator('details#v-qc-2013');
  await qc.locator('summary').click();
  const firstRow = qc.locator('tbody tr').first();
  const cells = await firstRow.locator('td').allInnerTexts();
  assert.equal(cells.length, 4);
  assert.ok(cells[2].length > 10, `a reason is given: ${cells[2]}`);
  assert.match(cells[3], /Social Economy Act|CQLR|E-1\.1\.1/, 'the Quebec criterion cites the Act');
});

await scenario('switching to French translates the page and its lang', async (page) => {
  await page.goto(`${base}/actors/caisse-economie-solidaire`);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.getByRole('link', { name: 'Français' }).click();
  await page.getByRole('heading', { name: 'En bref' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
});

await scenario('the French page of a Quebec co-operative says on its first screen whether and why it qualifies under Quebec law', async (page) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${base}/actors/caisse-economie-solidaire?lang=fr`);
  const badge = page.locator('#badge-qc-2013');
  await badge.waitFor();
  const box = await badge.boundingBox();
  assert.ok(box && box.y + box.height <= 800, `the Quebec verdict is on the first screen: ${JSON.stringify(box)}`);
  assert.match(await badge.innerText(), /Loi sur l'économie sociale du Québec/);
  assert.match(await badge.locator('.verdict').innerText(), /^(Admissible|Non admissible|Indécis : faits manquants)$/);
  // One sentence of why, in French: no English reason, no fact key or value code.
  const why = await badge.locator('.why').innerText();
  assert.match(why, /^(Les \d+ critères obligatoires sont remplis|Non rempli : « |Reste à établir : « )/, why);
  assert.doesNotMatch(why, /\b(is|not|documented|needed|one of)\b/, `a French sentence: ${why}`);
  assert.doesNotMatch(why, /\b[a-z]+_[a-z_]+\b|\b[a-z]+\.[a-z_]+\b/, `no code in the sentence: ${why}`);
  // The UN and ILO definitions follow it.
  await page.locator('#badge-un-2023').waitFor();
  await page.locator('#badge-ilo-2022').waitFor();
  // No raw code anywhere on the page, folded detail included: categories, families, relation
  // kinds, fact keys, values, verdicts and outcomes are in words.
  const shown = await page.locator('main').textContent();
  const codes = shown.match(/\b[a-z]+_[a-z_]+\b/g) || [];
  assert.deepEqual(codes, [], `codes on the French page: ${codes.slice(0, 10)}`);
  assert.doesNotMatch(shown, /[←→] ?(funds|member_of|partners_with|supports|federates)/, 'no relation code');
  // (The description is the record's own text, in the language it was written in.)
  for (const english of ['Qualifies', 'Undecided', 'is not documented', 'needed:', 'one_member_one_vote']) {
    assert.ok(!shown.includes(english), `English or code on the French page: ${english}`);
  }
  assert.match(await page.locator('p.lead').innerText(), /^Financeurs · Coopérative · /, 'category and family in words');
  // Relations by name, each a link to the other actor's page, under a French heading.
  const related = page.locator('ul.relations a[href^="/actors/"]');
  assert.ok((await related.count()) > 0, 'related actors are linked by name');
  const href = await related.first().getAttribute('href');
  const id = decodeURIComponent(href.split('/')[2].split('?')[0]);
  assert.notEqual((await related.first().innerText()).trim(), id, 'a name, not an id');
  // The criterion detail is folded, and opens.
  const detail = page.locator('details#v-qc-2013');
  assert.equal(await detail.getAttribute('open'), null, 'folded');
  await detail.locator('summary').click();
  assert.ok((await detail.locator('tbody tr').count()) === 7, 'the seven criteria of the Act');
});

await scenario('a contributor proposes an edit and a moderator approves it', async (page) => {
  await page.goto(`${base}/actors/caisse-economie-solidaire`);
  await page.getByRole('link', { name: 'Propose an edit' }).click();
  // Anonymous: sent to the login page, then back to the edit form.
  await expectUrl(page, /\/login/);
  await logIn(page, 'bob');
  await page.getByLabel('Name', { exact: true }).fill(renamed);
  await page.getByLabel('Note to the moderator (sources, reasons)').fill('Annual report 2025, p. 3');
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('status').filter({ hasText: 'Your proposal is waiting for a moderator.' }).waitFor();
  // Nothing changed yet.
  await page.getByRole('heading', { level: 1, name: 'Caisse d\'économie solidaire Desjardins' }).waitFor();
  // The contributor may not open the queue.
  const denied = await page.goto(`${base}/moderation`);
  assert.equal(denied.status(), 403);

  const moderator = await browser.newContext({ locale: 'en-GB' });
  const m = await moderator.newPage();
  m.setDefaultTimeout(15000);
  try {
    await m.goto(`${base}/login?next=/moderation`);
    await logIn(m, 'mona');
    await m.getByRole('heading', { name: 'Moderation queue' }).waitFor();
    const item = m.locator('section.proposal').filter({ hasText: renamed });
    await item.waitFor();
    await item.getByText('Annual report 2025, p. 3').waitFor();
    assert.equal(await item.locator('ins', { hasText: renamed }).count(), 1, 'the diff shows the new name');
    await item.getByLabel('Validate').check();
    await item.getByRole('button', { name: 'Submit' }).click();
    await m.getByText('Nothing is waiting.').waitFor();
  } finally {
    await moderator.close();
  }
  await page.goto(`${base}/actors/caisse-economie-solidaire`);
  await page.getByRole('heading', { level: 1, name: renamed }).waitFor();
});

await scenario('the map places the actors, with a plain background when tiles are unreachable', async (page) => {
  await page.goto(`${base}/map?territory=CA-QC`);
  await page.waitForFunction(() => {
    const m = document.getElementById('map');
    return m && m.getAttribute('data-loaded') !== null;
  });
  const loaded = Number(await page.locator('#map').getAttribute('data-loaded'));
  assert.ok(loaded > 10, `Quebec actors placed on the map: ${loaded}`);
  assert.equal(await page.locator('#map path.leaflet-interactive').count(), loaded);
  // Online, tiles load; offline (as in CI), the notice says the background is plain.
  await page.waitForTimeout(1500);
  const offline = await page.locator('#map-offline').isVisible();
  const tiles = await page.locator('#map img.leaflet-tile-loaded').count();
  assert.ok(offline || tiles > 0, 'either map tiles or the offline notice');
  // A marker opens a popup linking to the actor.
  await page.locator('#map path.leaflet-interactive').first().click({ force: true });
  await page.locator('.leaflet-popup-content a').waitFor();
});

await scenario('every page has the site menu, and the territories page leads to a diagnostic', async (page) => {
  for (const path of ['/', '/map', '/territories', '/cases', '/profiles', '/funds', '/actors/caisse-economie-solidaire',
    '/territories/CA-QC/diagnostic', '/login', '/no/such/page']) {
    await page.goto(`${base}${path}`);
    const menu = page.getByRole('navigation', { name: 'Site menu' });
    await menu.waitFor();
    for (const name of ['Directory', 'Map', 'Territories', 'Social innovations', 'Profiles', 'Funds']) {
      assert.equal(await menu.getByRole('link', { name, exact: true }).count(), 1, `${path}: ${name} in the menu`);
    }
  }
  await page.goto(`${base}/territories?lang=fr`);
  await page.locator('#territories a[href^="/territories/CA-QC/"]').click();
  await page.getByRole('heading', { level: 1, name: /Québec \(CA-QC\)/ }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
  await page.getByText('Tous les intermédiaires').click();
  assert.ok((await page.locator('details.all-brokers tbody tr').count()) > 0, 'the full table of brokers opens');
});

await scenario('anonymous writes through the API get 401', async (page) => {
  const r = await page.request.post(`${base}/api/actors`, { data: { id: 'x', name: 'X' } });
  assert.equal(r.status(), 401);
  assert.equal((await r.json()).error.code, 'unauthorized');
});

await scenario('a moderator opens the Ontario draft, four colleges vote on the web, the outcome follows the rule', async (page) => {
  await page.goto(`${base}/login?next=/strategies/on-draft-2026`);
  await logIn(page, 'mona');
  await page.goto(`${base}/strategies/on-draft-2026`);
  await page.getByRole('button', { name: 'Open a round of deliberation' }).click();
  await page.getByText('Stage: Open for deliberation').waitFor();
  const votes = [['demo-on-solarshare', 'For'], ['demo-on-oca', 'For'], ['demo-on-waterloo', 'Abstain'], ['demo-on-tapestry', 'For']];
  for (const [user, choice] of votes) {
    await page.context().clearCookies();
    await page.goto(`${base}/login?next=/strategies/on-draft-2026`);
    await logIn(page, user);
    await page.goto(`${base}/strategies/on-draft-2026`);
    await page.getByText('You vote for').waitFor();
    await page.getByLabel(choice, { exact: true }).check();
    await page.getByRole('button', { name: 'Cast the vote' }).click();
    await page.getByRole('status').filter({ hasText: 'Recorded.' }).waitFor();
  }
  // The count so far: the knowledge college abstained, so it has quorum but no majority.
  await page.getByText('knowledge institutions: 0 of 1 for, 1 abstaining — no majority').waitFor();
  await page.context().clearCookies();
  await page.goto(`${base}/login?next=/strategies/on-draft-2026`);
  await logIn(page, 'mona');
  await page.goto(`${base}/strategies/on-draft-2026`);
  await page.getByRole('button', { name: 'Close the round and count' }).click();
  await page.getByText('Stage: Not adopted').waitFor();
  await page.locator('ul.count').getByText('knowledge institutions not in favour').waitFor();
  await page.getByText('SSE organizations: 1 of 1 for — consents').waitFor();
  const r = await page.request.get(`${base}/api/strategies/on-draft-2026`);
  const v = await r.json();
  assert.equal(v.stage.stage, 'not_adopted');
  assert.equal(v.outcome.adopted, false);
});

await scenario('the Quebec strategy shows its actions, commitments and how its scores moved', async (page) => {
  await page.goto(`${base}/strategies?lang=fr`);
  await page.getByRole('link', { name: 'Open public markets to the social economy and measure it together' }).click();
  await page.getByText('Étape : Adoptée').or(page.getByText('Étape: Adoptée')).first().waitFor();
  await page.getByText('market access score: 28 at the start of the period (2024), 28 now').waitFor();
  await page.getByText('data and measurement score: 23 at the start of the period (2024), 23 now').waitFor();
  assert.ok((await page.locator('section.action').count()) === 2, 'two actions');
  await page.getByRole('link', { name: 'Chantier de l\'économie sociale' }).first().waitFor();
  await page.goto(`${base}/territories/CA-QC/history`);
  assert.ok((await page.locator('figure.chart svg polyline').count()) === 7, 'one line per block');
});

await scenario('a search refused while typing says so, and the old results are marked stale', async (page) => {
  await page.goto(`${base}/`);
  await page.getByLabel('Search actors by name or description').fill('x'.repeat(250));
  const status = page.locator('#search-status');
  await status.waitFor({ state: 'visible' });
  assert.match(await status.textContent(), /could not be made.*200 bytes/);
  assert.equal(await page.locator('#results').getAttribute('data-stale'), 'true');
  await page.getByLabel('Search actors by name or description').fill('solidaire');
  await status.waitFor({ state: 'hidden' });
  assert.equal(await page.locator('#results').getAttribute('data-stale'), null);
});

async function expectUrl(page, re) {
  await page.waitForURL(re);
}

await browser.close();
process.exit(failed ? 1 : 0);
