// The web client against a real `facesort serve` (real models, real photos): first run, upload by
// dropping files, processing, naming, search by name, merge, split, move, date filter.
// Run with `npm run test:e2e` in clients/web after `npm run build`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { datasetPhotos, dropFiles, launchBrowser, screenshot, startServer } from './harness.mjs';

// Four people of ten photos each: small LFW portraits, so processing takes seconds, not minutes.
const people = ['lfw_john_kerry', 'lfw_nancy_pelosi', 'lfw_venus_williams', 'lfw_michael_schumacher'];
const processingTimeoutMs = Number(process.env.FACESORT_E2E_PROCESSING_TIMEOUT_MS ?? 300_000);

describe('facesort in the browser', { timeout: 900_000 }, () => {
  let server;
  let browser;
  let page;
  const photos = datasetPhotos(people);
  const groupTiles = () => page.locator('ul[aria-label="Groups to name"] > li');
  const personTiles = () => page.locator('ul[aria-label="People"] > li');
  const countOf = async (locator) => Number((await locator.textContent()).match(/\d+/)[0]);
  // libraryStatus subscriptions open over the websocket (graphql-ws subscribe / complete frames).
  const statusSubscriptions = new Set();
  let mostStatusSubscriptions = 0;
  const watchSubscriptions = (ws) => {
    ws.on('framesent', ({ payload }) => {
      const message = JSON.parse(String(payload));
      if (message.type === 'subscribe' && /libraryStatus/.test(message.payload?.query ?? '')) {
        statusSubscriptions.add(message.id);
      } else if (message.type === 'complete') {
        statusSubscriptions.delete(message.id);
      }
      mostStatusSubscriptions = Math.max(mostStatusSubscriptions, statusSubscriptions.size);
    });
    ws.on('close', () => statusSubscriptions.clear());
  };

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => console.error('page error:', error.message));
    page.on('websocket', watchSubscriptions);
  });

  after(async () => {
    await browser?.close();
    if (server && process.exitCode) console.error(server.log.join('').slice(-4000));
    await server?.stop();
  });

  it('creates the first account on an empty install', async () => {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Welcome to facesort' }).waitFor();
    await screenshot(page, '01-first-run');
    await page.getByLabel('Username').fill('owner');
    await page.getByLabel('Password', { exact: true }).fill('correct horse battery');
    await page.getByLabel('Password again').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Photos', level: 1 }).waitFor();
    assert.equal(await page.getByText('owner').first().isVisible(), true);
  });

  it('uploads dropped files, with a reason for the file it refuses', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Upload' }).click();
    const notes = { name: 'notes.txt', type: 'text/plain', base64: Buffer.from('not a photo').toString('base64') };
    await dropFiles(page, '[data-testid="drop-zone"]', [...photos, notes]);
    const summary = page.getByTestId('upload-summary');
    await summary.filter({ hasText: 'Upload finished' }).waitFor({ timeout: 120_000 });
    assert.match(await summary.textContent(), new RegExp(`${photos.length} added, 0 already in the library, 1 rejected`));
    const rejected = page.getByRole('list', { name: 'Rejected files' });
    assert.match(await rejected.textContent(), /notes\.txt: \S+/);
    await screenshot(page, '02-upload');
  });

  it('shows face processing progress until every photo is done', async () => {
    const processing = page.getByTestId('processing-summary');
    await processing.filter({ hasText: `All ${photos.length} photos processed` }).waitFor({ timeout: processingTimeoutMs });
    await screenshot(page, '03-processed');
    // The header's badge and the upload page read one subscription, not one each.
    assert.equal(mostStatusSubscriptions, 1);
  });

  it('names a group of faces', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).click();
    // Grouping runs after processing: wait for the groups to show up.
    const deadline = Date.now() + processingTimeoutMs;
    while ((await groupTiles().count()) < 3) {
      assert.ok(Date.now() < deadline, 'fewer than 3 groups of faces were formed');
      await page.waitForTimeout(2000);
      await page.reload();
      await page.getByRole('heading', { name: 'People', level: 1 }).waitFor();
    }
    await screenshot(page, '04-people-before');
    const first = groupTiles().first();
    await first.getByRole('combobox').fill('Alice Test');
    await first.getByRole('combobox').press('Enter');
    await personTiles().filter({ hasText: 'Alice Test' }).waitFor();
    // Name a second group for the move below.
    const second = groupTiles().first();
    await second.getByRole('combobox').fill('Bob Test');
    await second.getByRole('combobox').press('Enter');
    await personTiles().filter({ hasText: 'Bob Test' }).waitFor();
    await screenshot(page, '05-people-named');
  });

  it("finds that person's photos by name", async () => {
    const alice = personTiles().filter({ hasText: 'Alice Test' });
    const photoCount = await countOf(alice.getByText(/\d+ photos?$/));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Photos' }).click();
    await page.getByRole('combobox', { name: 'Filter by person' }).fill('Alic');
    await page.getByRole('option', { name: 'Alice Test' }).click();
    await page.getByTestId('photo-count').filter({ hasText: `${photoCount} photo` }).waitFor();
    assert.match(page.url(), /person=Alice\+Test/);
    // The photos found are of one person of the dev set (file names carry the folder).
    const names = await page.locator('[data-testid="photo-grid"] img').evaluateAll((imgs) => imgs.map((img) => img.alt));
    assert.equal(names.length, photoCount);
    const folders = names.map((name) => name.split('__')[0]);
    const mostCommon = Math.max(...folders.map((f) => folders.filter((g) => g === f).length));
    assert.ok(mostCommon / names.length >= 0.8, `photos of Alice Test come from several people: ${folders.join(', ')}`);
    await screenshot(page, '06-photos-of-alice');

    await page.locator('[data-testid="photo-grid"] a').first().click();
    await page.getByRole('button', { name: 'Face: Alice Test' }).first().waitFor();
    assert.match(await page.getByLabel('Photo details').textContent(), /File.*__/);
    await screenshot(page, '07-photo');
  });

  it('merges two groups', async () => {
    await page.goto(`${server.url}/people`);
    await groupTiles().first().waitFor();
    const before = await groupTiles().count();
    assert.ok(before >= 2, 'two unnamed groups are needed to merge');
    const faces = async (tile) => Number((await tile.getAttribute('aria-label')).match(/of (\d+) faces/)[1]);
    const sum = (await faces(groupTiles().nth(0))) + (await faces(groupTiles().nth(1)));
    await groupTiles().nth(0).getByRole('checkbox').click();
    await groupTiles().nth(1).getByRole('checkbox').click();
    await page.getByRole('toolbar', { name: 'Selected groups' }).getByRole('button', { name: /^Merge/ }).click();
    await page.waitForFunction(
      (expected) => document.querySelectorAll('ul[aria-label="Groups to name"] > li').length === expected,
      before - 1,
    );
    await page.getByRole('listitem', { name: `Unnamed group of ${sum} faces` }).waitFor();
  });

  it('splits faces off a person', async () => {
    await personTiles().filter({ hasText: 'Alice Test' }).getByRole('link', { name: 'Alice Test' }).click();
    const faces = page.locator('ul[aria-label="Faces of Alice Test"] > li');
    await faces.first().waitFor();
    const before = await faces.count();
    assert.ok(before >= 3, 'Alice Test needs a few faces');
    await faces.last().getByRole('button').click();
    await page.getByRole('toolbar', { name: 'Selected faces' }).getByRole('button', { name: 'Split off' }).click();
    await page.getByText('Split off as a new group of 1 face.').waitFor();
    assert.equal(await faces.count(), before - 1);
    await screenshot(page, '08-person');
  });

  it('moves a face to another person', async () => {
    const faces = page.locator('ul[aria-label="Faces of Alice Test"] > li');
    const before = await faces.count();
    await faces.last().getByRole('button').click();
    await page.getByRole('combobox', { name: 'Move selected faces to' }).fill('Bob');
    await page.getByRole('option', { name: 'Bob Test' }).click();
    await page.getByText('Moved 1 face to Bob Test.').waitFor();
    assert.equal(await faces.count(), before - 1);

    await page.goto(`${server.url}/people`);
    await personTiles().filter({ hasText: 'Bob Test' }).getByRole('link', { name: 'Bob Test' }).click();
    const bobFaces = page.locator('ul[aria-label="Faces of Bob Test"] > li');
    await bobFaces.first().waitFor();
    const header = await page.getByText(/\d+ photos? · \d+ faces?/).textContent();
    assert.equal(Number(header.match(/(\d+) faces?/)[1]), await bobFaces.count());
  });

  it('filters photos by date, in the URL', async () => {
    await page.goto(`${server.url}/photos`);
    const count = page.getByTestId('photo-count');
    await count.waitFor();
    const total = await countOf(count);
    assert.equal(total, photos.length);
    await page.getByLabel('Taken from').fill('2099-01-01');
    await page.getByText('No photos match these filters').waitFor();
    assert.match(page.url(), /from=2099-01-01/);
    await page.getByLabel('Taken from').fill('1900-01-01');
    await page.getByLabel('Taken until').fill('2098-12-31');
    await count.filter({ hasText: `${total} photos` }).waitFor();
    // The same search, opened from a bookmark.
    await page.goto(`${server.url}/photos?from=2099-01-01`);
    await page.getByText('No photos match these filters').waitFor();
    await screenshot(page, '09-photos-filtered');
  });

  it('makes an album and adds a photo to it', async () => {
    await page.goto(`${server.url}/albums`);
    await page.getByLabel('New album name').fill('Summer');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('link', { name: 'Summer 0 photos' }).waitFor();
    await page.goto(`${server.url}/photos`);
    await page.locator('[data-testid="photo-grid"] a').first().click();
    await page.getByLabel('Add to album').selectOption({ label: 'Summer' });
    await page.getByText('Added.').waitFor();
    await page.goto(`${server.url}/albums`);
    await page.getByRole('link', { name: 'Summer 1 photo' }).click();
    await page.locator('[data-testid="photo-grid"] img').first().waitFor();
    assert.equal(await page.locator('[data-testid="photo-grid"] img').count(), 1);
    await page.goto(`${server.url}/albums`);
    await page.getByRole('heading', { name: 'Albums by person' }).waitFor();
    await screenshot(page, '10-albums');
  });

  it('works on a phone screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/people`);
    await personTiles().first().waitFor();
    // The main navigation moves to the bottom of the screen, within thumb reach.
    const nav = await page.getByRole('navigation', { name: 'Main' }).boundingBox();
    assert.ok(nav.y > 844 - 100, `navigation at y=${nav.y}`);
    await screenshot(page, '11-phone-people');
    await page.goto(`${server.url}/photos`);
    await page.getByTestId('photo-count').waitFor();
    const tile = await page.locator('[data-testid="photo-grid"] a').first().boundingBox();
    assert.ok(tile.width >= 100 && tile.width <= 140, `thumbnails ${tile.width}px wide on a phone`);
    await screenshot(page, '12-phone-photos');
  });
});
