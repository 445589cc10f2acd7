// Real-browser tests of the isnad web interface: `isnad serve` on a temporary store, the
// system Chromium through playwright-core, articles added THROUGH THE UI (file upload and
// the paste form), then the pages checked against what the articles say and what the API
// returns. Run with tests/browser/run.sh ISNAD_BINARY.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './lib/server.mjs';
import { openBrowser, go } from './lib/browser.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const fixture = (name) => path.join(here, 'fixtures', name);
const pasted = JSON.parse(readFileSync(fixture('pasted.json'), 'utf8'));

const DEPOT_DOCS = ['sanadiyan_rafid', 'sanadiyan_wadi', 'sanadiyan_yawm'];

let server;
let browser;
let page;
let base;
let depotEvent = null;   // store id of the fuel-depot event, found through the event list
let dossier = null;      // its GET /api/events/{id} body

async function api(p) {
  const r = await fetch(new URL(p.replace(/^\//, ''), base));
  assert.equal(r.status, 200, `GET ${p} → ${r.status}`);
  return r.json();
}

const texts = (locator) => locator.evaluateAll((els) => els.map((e) => e.textContent.trim()));

describe('isnad web interface in Chromium', { concurrency: false, timeout: 300000 }, () => {
  before(async () => {
    server = await startServer({ binary: process.env.ISNAD_BINARY, web: path.join(repo, 'web') });
    base = server.base;
    browser = await openBrowser(base);
    page = browser.page;
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
  });

  test('the page is Arabic, right-to-left, with an Arabic font stack', async () => {
    await go(page, base, '#/events');
    assert.equal(await page.getAttribute('html', 'lang'), 'ar');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    const style = await page.evaluate(() => {
      const cs = getComputedStyle(document.getElementById('main'));
      return { direction: cs.direction, font: cs.fontFamily };
    });
    assert.equal(style.direction, 'rtl');
    assert.match(style.font, /Noto Naskh Arabic/);
    assert.match(style.font, /Tahoma/);
    assert.equal(await page.locator('.site-nav a[data-section=ingest]').textContent(), 'إضافة مقالات');
    // Empty store: the list says so and points to the ingest page.
    assert.equal(await page.locator('.event-card').count(), 0);
    assert.equal(await page.locator('.empty a[href="#/ingest"]').count(), 1);
  });

  test('files upload through the ingest page, each with progress and per-item results', async () => {
    await go(page, base, '#/ingest');
    await page.setInputFiles('.file-form input[type=file]',
      [fixture('sanadiyan_rafid.txt'), fixture('batch.jsonl'), fixture('broken.jsonl')]);
    await page.click('.file-form button[type=submit]');
    await page.waitForFunction(() => document.querySelector('.counter')?.textContent === 'تم 3 من 3 ملفات', null, { timeout: 60000 });

    const row = (name) => page.locator(`.upload[data-file="${name}"]`);
    assert.deepEqual(await row('sanadiyan_rafid.txt').locator('.result.accepted').evaluateAll((els) => els.map((e) => e.dataset.id)), ['sanadiyan_rafid']);
    assert.deepEqual((await row('batch.jsonl').locator('.result.accepted').evaluateAll((els) => els.map((e) => e.dataset.id))).sort(),
      ['qamar_floods', 'sanadiyan_wadi']);
    for (const name of ['sanadiyan_rafid.txt', 'batch.jsonl', 'broken.jsonl']) {
      assert.equal(await row(name).locator('progress').evaluate((p) => p.value), 1, `${name} progress`);
    }
    // The record without text is rejected, and the server's reason is shown.
    const broken = row('broken.jsonl');
    assert.match(await broken.getAttribute('class'), /failed/);
    assert.equal(await broken.locator('.result.rejected').count(), 1);
    assert.match(await broken.locator('.result.rejected .error-message').textContent(), /text/);
    // Accepted documents link to their document view and their event.
    const link = await row('sanadiyan_rafid.txt').locator('.result.accepted a').first().getAttribute('href');
    assert.match(link, /^#\/documents\/\d+$/);
    assert.equal(await row('sanadiyan_rafid.txt').locator('.result.accepted a.event-link').count(), 1);
  });

  test('a pasted article with its title, outlet and date is accepted', async () => {
    await page.fill('.paste-form textarea[name=text]', pasted.text);
    await page.fill('.paste-form input[name=title]', pasted.title);
    await page.fill('.paste-form input[name=outlet]', pasted.outlet);
    await page.fill('.paste-form input[name=published]', pasted.published);
    await page.click('.paste-form details summary');
    await page.fill('.paste-form input[name=id]', pasted.id);
    await page.click('.paste-form button[type=submit]');
    const row = page.locator(`.upload[data-file="${pasted.title}"]`);
    await row.locator('.result').first().waitFor({ timeout: 60000 });
    assert.deepEqual(await row.locator('.result.accepted').evaluateAll((els) => els.map((e) => e.dataset.id)), [pasted.id]);
    // The form is cleared for the next article.
    assert.equal(await page.inputValue('.paste-form textarea[name=text]'), '');
    const stored = await api('/healthz');
    assert.equal(stored.documents, 4);
  });

  test('uploading the same file again reports a duplicate', async () => {
    await page.setInputFiles('.file-form input[type=file]', [fixture('sanadiyan_rafid.txt')]);
    await page.click('.file-form button[type=submit]');
    await page.waitForFunction(() => document.querySelector('.counter')?.textContent === 'تم 1 من 1 ملفات', null, { timeout: 60000 });
    const last = page.locator('.upload').last();
    assert.equal(await last.getAttribute('data-file'), 'sanadiyan_rafid.txt');
    assert.equal(await last.locator('.result.duplicate').count(), 1);
    assert.equal((await api('/healthz')).documents, 4);
  });

  test('event list: title, dates, number of sources and a conflict badge', async () => {
    await go(page, base, '#/events');
    const list = await api('/api/events');
    const cards = page.locator('.event-card');
    assert.equal(await cards.count(), list.events.length);
    const depot = cards.filter({ hasText: 'بير السنديان' });
    assert.equal(await depot.count(), 1, 'the three depot articles form one event');
    depotEvent = await depot.getAttribute('data-event');
    const fromApi = list.events.find((e) => String(e.id) === depotEvent);
    assert.ok(fromApi, 'the card is an event of the API');
    assert.equal(fromApi.sources, 3);
    assert.equal(await depot.locator('.sources-count').getAttribute('data-sources'), '3');
    assert.equal(await depot.locator('h2 a').textContent(), fromApi.title);
    const badge = depot.locator('.conflict-badge');
    assert.equal(await badge.count(), 1);
    assert.equal(Number(await badge.getAttribute('data-conflicts')), fromApi.conflicts);
    assert.ok(fromApi.conflicts >= 2, 'a date conflict and a death-toll conflict');
    // The dates the API gives (first and last, shown once when equal): the explosion was on
    // 8 or 9 February and the dated articles appeared on the 10th, so any of these days.
    const dates = await depot.locator('.dates time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime')));
    assert.deepEqual(dates, fromApi.first === fromApi.last ? [fromApi.first] : [fromApi.first, fromApi.last]);
    assert.ok(dates.every((d) => d >= '2025-02-08' && d <= '2025-02-10'), `dates ${dates}`);
    // The day of the event itself, when the API gives it, is one of the two the sources report.
    if (fromApi.date !== undefined && fromApi.date !== null) {
      assert.ok(['2025-02-08', '2025-02-09'].includes(fromApi.date), `event date ${fromApi.date}`);
      assert.equal(await depot.locator('.event-date time').getAttribute('datetime'), fromApi.date);
    }
    // The flood is its own event and its single source agrees with itself.
    const flood = cards.filter({ hasText: 'عين القمر' });
    assert.equal(await flood.count(), 1);
    assert.equal(await flood.locator('.ok-badge').count(), 1);
  });

  test('event list filters by words and by dates', async () => {
    await page.fill('.filters input[name=q]', 'الأمطار الغزيرة');
    await page.click('.filters button[type=submit]');
    await page.waitForFunction(() => location.hash.startsWith('#/events?q=') && document.body.dataset.ready === 'true');
    assert.deepEqual(await texts(page.locator('.event-card h2')), ['أمطار غزيرة تغمر عشرات المنازل في عين القمر']);
    await go(page, base, '#/events?from=2025-02-01&to=2025-02-28');
    assert.equal(await page.locator('.filters input[name=from]').inputValue(), '2025-02-01');
    assert.deepEqual(await page.locator('.event-card').evaluateAll((els) => els.map((e) => e.dataset.event)), [depotEvent]);
  });

  test('event dossier lists its sources', async () => {
    assert.ok(depotEvent, 'depends on the event list test');
    await page.click(`.event-card[data-event="${depotEvent}"] h2 a`);
    await page.waitForSelector('body[data-ready="true"] .dossier');
    assert.equal(new URL(page.url()).hash, `#/events/${depotEvent}`);
    dossier = await api(`/api/events/${depotEvent}`);
    const docs = await page.locator('#sources li.source').evaluateAll((els) => els.map((e) => e.dataset.doc));
    assert.deepEqual([...docs].sort(), DEPOT_DOCS);
    const outlets = await texts(page.locator('#sources .outlet'));
    assert.ok(outlets.includes('وكالة الوادي للأنباء') && outlets.includes(pasted.outlet), `outlets ${outlets}`);
    // Every summary sentence cites its source.
    const summary = page.locator('#summary li');
    assert.equal(await summary.count(), dossier.events[0].summary.length);
    assert.ok(await summary.count() > 0);
    for (const href of await summary.locator('a.cite').evaluateAll((els) => els.map((a) => a.getAttribute('href')))) {
      assert.match(href, /^#\/documents\/\d+\?b=\d+&e=\d+$/);
    }
    assert.equal(await page.locator('#summary a.cite').count(), await summary.count());
    // The timeline: one entry per dated sentence, in the API's order, each citing its source.
    const timeline = dossier.events[0].timeline;
    assert.ok(timeline.length > 0);
    assert.deepEqual(await page.locator('#timeline li .when time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime'))),
      timeline.map((t) => t.date));
    assert.equal(await page.locator('#timeline li a.cite').count(), timeline.length);
  });

  test('death-toll chart: one bar per report, the right values, a lower bound drawn open-ended', async () => {
    assert.ok(dossier, 'depends on the dossier test');
    const killed = dossier.events[0].figures.find((f) => f.kind === 'killed');
    assert.ok(killed, 'the engine found the death tolls');
    const chart = page.locator('svg.figure-chart[data-kind="killed"]');
    assert.equal(await chart.count(), 1);
    const bars = await chart.locator('.bar').evaluateAll((els) => els.map((b) => ({
      value: Number(b.dataset.value), qualifier: b.dataset.qualifier, doc: b.dataset.doc,
      open: !!b.querySelector('.bar-open'), solid: !!b.querySelector('.bar-fill'),
      mark: b.querySelector('.bar-mark')?.textContent ?? null, href: b.getAttribute('href'),
    })));
    assert.equal(bars.length, killed.reports.length);
    killed.reports.forEach((r, i) => {
      assert.equal(bars[i].value, r.value, `bar ${i}`);
      assert.equal(bars[i].qualifier, r.qualifier, `bar ${i}`);
      assert.equal(bars[i].doc, r.doc, `bar ${i}`);
      assert.match(bars[i].href, /^#\/documents\/\d+\?b=\d+&e=\d+$/);
    });
    const of = (doc) => bars.filter((b) => b.doc === doc);
    assert.ok(of('sanadiyan_rafid').some((b) => b.value === 9 && b.qualifier === 'exact'));
    assert.ok(of('sanadiyan_wadi').some((b) => b.value === 11 && b.qualifier === 'exact'));
    const bound = of('sanadiyan_yawm').find((b) => b.value === 7);
    assert.ok(bound, 'the lower bound of 7 has a bar');
    assert.equal(bound.qualifier, 'at_least');
    assert.ok(bound.open && bound.solid, 'a lower bound is a solid bar with an open extension');
    assert.equal(bound.mark, '≥');
    for (const b of bars.filter((x) => x.qualifier === 'exact')) assert.ok(b.solid && !b.open, 'an exact figure is a closed solid bar');
    // Low, best and high as the API gives them; the contradiction is marked.
    const figure = page.locator('section.figure[data-kind="killed"]');
    assert.equal(await figure.locator('.best').textContent(), String(killed.best));
    assert.equal(await figure.locator('.low').textContent(), String(killed.low));
    assert.equal(await figure.locator('.high').textContent(), String(killed.high));
    assert.equal(killed.consistent, false);
    assert.equal(await chart.getAttribute('data-consistent'), 'false');
    assert.equal(await figure.locator('.conflict-badge').count(), 1);
  });

  test('conflicts: the two death tolls and the two dates are highlighted', async () => {
    const toll = page.locator('#conflicts .conflict[data-field="figure:killed"]');
    assert.equal(await toll.count(), 1);
    assert.deepEqual((await texts(toll.locator('.side-value'))).sort(), ['11', '9']);
    const date = page.locator('#conflicts .conflict[data-field="date"]');
    assert.equal(await date.count(), 1);
    assert.deepEqual((await date.locator('.side-value time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime')))).sort(),
      ['2025-02-08', '2025-02-09']);
    assert.ok((await texts(date.locator('.side-value'))).includes('8 شباط/فبراير 2025'));
    assert.equal(await page.locator('.dossier-head .date-conflict').count(), 1);
    // The highlighted block is visibly marked (not only present in the DOM).
    const border = await toll.evaluate((el) => getComputedStyle(el).borderInlineStartColor);
    assert.equal(border, 'rgb(179, 38, 30)');
  });

  test('who said what: quotes grouped by speaker, with the quote and the outlet chain', async () => {
    const groups = await page.locator('#quotes .speaker-group').evaluateAll((els) => els.map((g) => ({
      speaker: g.dataset.speaker,
      quotes: [...g.querySelectorAll('li.quote')].map((q) => ({
        doc: q.dataset.doc,
        text: q.querySelector('blockquote').textContent,
        chain: [...q.querySelectorAll('.chain li')].map((l) => l.textContent),
      })),
    })));
    const speakers = groups.map((g) => g.speaker);
    assert.equal(new Set(speakers).size, speakers.length, 'one group per speaker');
    const spokesman = groups.find((g) => g.speaker === 'فراس الحلبي');
    assert.ok(spokesman, `speakers: ${speakers}`);
    assert.ok(spokesman.quotes.length >= 3);
    assert.deepEqual([...new Set(spokesman.quotes.map((q) => q.doc))].sort(), ['sanadiyan_rafid', 'sanadiyan_wadi']);
    assert.ok(spokesman.quotes.some((q) => q.text.includes('الانفجار وقع في أحد خزانات البنزين')));
    const governor = groups.find((g) => g.speaker === 'سمير العودة');
    assert.ok(governor, `speakers: ${speakers}`);
    assert.deepEqual([...new Set(governor.quotes.map((q) => q.doc))].sort(), ['sanadiyan_wadi', 'sanadiyan_yawm']);
    const agency = governor.quotes.find((q) => q.doc === 'sanadiyan_wadi');
    assert.equal(agency.chain[0], 'وكالة الوادي للأنباء');
    assert.equal(agency.chain[agency.chain.length - 1], 'سمير العودة');
    // Every quote of the API is shown under its speaker.
    for (const q of dossier.events[0].quotes) {
      const g = groups.find((x) => x.speaker === (q.speaker || 'متحدث غير معروف'));
      assert.ok(g && g.quotes.some((x) => x.doc === q.doc && x.text.includes(q.text)), `quote of ${q.speaker} in ${q.doc}`);
    }
  });

  test('entities show their variant spellings, and the entity page lists them', async () => {
    const entity = page.locator('#entities li.entity').filter({ hasText: 'فراس الحلبي' });
    assert.equal(await entity.count(), 1);
    assert.ok((await texts(entity.locator('.variant'))).includes('الحلبي'));
    await entity.locator('a').click();
    await page.waitForSelector('body[data-ready="true"] .entity-page');
    const key = decodeURIComponent(new URL(page.url()).hash.replace('#/entities/', ''));
    assert.match(key, new RegExp(`^${depotEvent}\\.p\\d+$`));
    const fromApi = await api(`/api/entities/${key}`);
    assert.deepEqual(await texts(page.locator('ul.variants .variant')), fromApi.variants);
    assert.ok(fromApi.variants.includes('الحلبي'));
    assert.equal(await page.locator('#entity-quotes li.quote').count(), fromApi.quotes.length);
  });

  test('a chart bar opens the document at the reported sentence', async () => {
    await go(page, base, `#/events/${depotEvent}`);
    const killed = dossier.events[0].figures.find((f) => f.kind === 'killed');
    const index = killed.reports.findIndex((r) => r.doc === 'sanadiyan_yawm' && r.qualifier === 'at_least');
    assert.ok(index >= 0);
    await page.locator('svg.figure-chart[data-kind="killed"] .bar').nth(index).click();
    await page.waitForSelector('body[data-ready="true"] .document');
    assert.match(new URL(page.url()).hash, /^#\/documents\/\d+\?b=\d+&e=\d+$/);
    // The focused text is exactly the reported bytes (UTF-8 offsets mapped to JS indices).
    const focused = (await page.locator('.doc-text .focus').evaluateAll((els) => els.map((e) => e.textContent))).join('');
    assert.equal(focused, killed.reports[index].text);
    assert.ok(focused.includes('7'));
  });

  test('document view highlights entities, quotes and claims', async () => {
    const id = new URL(page.url()).hash.match(/^#\/documents\/(\d+)/)[1];
    const doc = await api(`/api/documents/${id}`);
    assert.equal(doc.id, 'sanadiyan_yawm');
    assert.equal(await page.locator('.doc-text').textContent(), doc.text, 'the whole text, unchanged');
    const marks = await page.locator('.doc-text mark.ent').evaluateAll((els) => els.map((e) => ({ text: e.textContent, type: e.dataset.type })));
    const expected = doc.analysis.entities.map((e) => ({ text: e.text, type: e.type }));
    assert.ok(expected.length > 0);
    assert.deepEqual(marks, expected);
    assert.ok(marks.some((m) => m.text === 'سمير العودة' && m.type === 'PER'));
    assert.ok(await page.locator('.doc-text .hl-quote').count() > 0);
    assert.ok(await page.locator('.doc-text .hl-claim').count() > 0);
    const quoted = (await page.locator('.doc-text .hl-quote').evaluateAll((els) => els.map((e) => e.textContent))).join('');
    assert.ok(quoted.includes('المحافظة ستعوض أصحاب المنازل المتضررة'));
    // The entity layer can be switched off.
    await page.click('.layer-toggles input[data-layer="ent"]');
    assert.match(await page.locator('.doc-text').getAttribute('class'), /hide-ent/);
  });

  test('search shows the hits with highlighted snippets', async () => {
    await page.fill('#search-box input[name=q]', 'انفجار المستودع');
    await page.press('#search-box input[name=q]', 'Enter');
    await page.waitForFunction(() => location.hash.startsWith('#/search?') && document.body.dataset.ready === 'true');
    const fromApi = await api(`/api/search?q=${encodeURIComponent('انفجار المستودع')}&limit=50`);
    const hits = page.locator('.hit-item');
    assert.ok(fromApi.hits.length >= 3, `hits: ${fromApi.hits.length}`);
    assert.equal(await hits.count(), fromApi.hits.length);
    for (let i = 0; i < fromApi.hits.length; ++i) {
      const marked = await texts(hits.nth(i).locator('.snippet mark.hit'));
      assert.deepEqual(marked, fromApi.hits[i].snippet.filter((p) => p.hit).map((p) => p.text.trim()));
      assert.ok(marked.length > 0, `hit ${i} has highlighted words`);
      assert.equal(await hits.nth(i).locator('.snippet').textContent(), fromApi.hits[i].snippet.map((p) => p.text).join(''));
    }
    const docs = new Set(fromApi.hits.map((h) => h.id));
    for (const d of DEPOT_DOCS) assert.ok(docs.has(d), `${d} found`);
  });

  test('article text is displayed as text, never run as HTML', async () => {
    await go(page, base, '#/ingest');
    const text = 'خبر تجريبي عن مدينة بعيدة <img src=x onerror="window.__pwned=1"> و<b>نص عريض</b> في السطر.';
    await page.fill('.paste-form textarea[name=text]', text);
    await page.fill('.paste-form input[name=title]', 'عنوان <i>مائل</i>');
    await page.click('.paste-form button[type=submit]');
    const row = page.locator('.upload[data-file="عنوان <i>مائل</i>"]');
    await row.locator('.result.accepted a').first().waitFor({ timeout: 60000 });
    await row.locator('.result.accepted a').first().click();
    await page.waitForSelector('body[data-ready="true"] .document');
    assert.equal(await page.locator('.doc-text').textContent(), text);
    assert.equal(await page.locator('.document img, .document b, .document h1 i').count(), 0);
    assert.equal(await page.locator('.document h1').textContent(), 'عنوان <i>مائل</i>');
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
  });

  test('phone width (390 px): no page scrolls sideways', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const docId = (await api(`/api/events/${depotEvent}`)).documents.find((d) => d.id === 'sanadiyan_wadi').document;
    const routes = ['#/events', `#/events/${depotEvent}`, `#/documents/${docId}`, '#/search?q=%D8%A7%D9%84%D9%85%D8%B3%D8%AA%D9%88%D8%AF%D8%B9', '#/ingest'];
    try {
      for (const r of routes) {
        await go(page, base, r);
        const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
        assert.ok(scroll <= client, `${r}: content ${scroll}px wide in a ${client}px window`);
      }
      // The chart fits the phone: it is drawn at the width it has.
      await go(page, base, `#/events/${depotEvent}`);
      const box = await page.locator('svg.figure-chart[data-kind="killed"]').boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 390, JSON.stringify(box));
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  test('no console errors, and no request left the machine', async () => {
    const { console: errors, pageErrors, foreign, failed } = browser.problems;
    // The upload of broken.jsonl is answered 400 on purpose; Chromium logs that response.
    const unexpected = errors.filter((e) => !/status of 400/.test(e));
    assert.ok(errors.length - unexpected.length <= 1, `400 responses logged: ${errors}`);
    assert.deepEqual(unexpected, []);
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(foreign, []);
    assert.deepEqual(failed.filter((f) => !/ERR_ABORTED/.test(f)), []);
  });
});
