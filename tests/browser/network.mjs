// The diagnostic's network picture, explored (static/network.js): zoomed with the keyboard, the
// buttons and the mouse wheel, moved by dragging, back to the whole picture; a node pointed at
// tells its name and role; an actor still opens from the zoomed picture, with the mouse and with
// the keyboard (a node reached with Tab is brought into view).
import assert from 'node:assert/strict';

// The picture's viewBox as numbers: [x, y, width, height].
const viewBox = async (svg) => (await svg.getAttribute('viewBox')).trim().split(/[\s,]+/).map(Number);

// Waits until the viewBox differs from `before`, and returns it.
async function changed(page, svg, before, what) {
  const handle = await svg.elementHandle();
  await page.waitForFunction(([e, b]) => e.getAttribute('viewBox').trim().split(/[\s,]+/).map(Number).join(' ') !== b.join(' '),
    [handle, before], { timeout: 5000 }).catch(() => { throw new Error(`${what} did not change the view (${before})`); });
  return viewBox(svg);
}

export async function zoomThenOpenAnActor(page, base) {
  await page.setViewportSize({ width: 1280, height: 800 });
  const open = async () => {
    await page.goto(`${base}/territories/CA-QC/diagnostic`);
    const box = page.locator('div.network').first();
    const bar = box.getByRole('group', { name: 'Zoom the network picture' });
    await bar.waitFor(); // shown by the script
    return { box, bar, svg: box.locator('svg').first() };
  };
  let { box, bar, svg } = await open();
  const whole = await viewBox(svg);

  // The keyboard: Tab reaches the buttons, Enter and Space press them.
  await bar.getByRole('button', { name: 'Zoom in' }).focus();
  await page.keyboard.press('Enter');
  let v = await changed(page, svg, whole, 'Zoom in');
  assert.ok(v[2] < whole[2] && v[3] < whole[3], `closer: ${v} from ${whole}`);
  assert.ok(Math.abs(v[2] / v[3] - whole[2] / whole[3]) < 1e-6, 'the picture keeps its proportions');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), '− Zoom out');
  await page.keyboard.press('Space');
  v = await changed(page, svg, v, 'Zoom out');
  assert.deepEqual(v, whole, 'zoomed out to the whole picture again');

  // The mouse wheel zooms around the pointer; a drag moves the zoomed picture.
  const r = await svg.boundingBox();
  await page.mouse.move(r.x + r.width * 0.3, r.y + r.height * 0.4);
  await page.mouse.wheel(0, -300);
  v = await changed(page, svg, whole, 'The mouse wheel');
  assert.ok(v[2] < whole[2], `the wheel zoomed in: ${v}`);
  await page.mouse.wheel(0, -300);
  v = await changed(page, svg, v, 'The mouse wheel, again');
  const before = v;
  await page.mouse.move(r.x + r.width * 0.5, r.y + r.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(r.x + r.width * 0.5 + 60, r.y + r.height * 0.5 + 40, { steps: 6 });
  await page.mouse.up();
  v = await changed(page, svg, before, 'A drag');
  assert.equal(v[2], before[2], 'a drag keeps the zoom');
  assert.ok(v[0] < before[0] && v[1] < before[1], `dragging right and down shows what was left and above: ${v} from ${before}`);
  assert.match(page.url(), /\/territories\/CA-QC\/diagnostic/, 'a drag opens no actor');

  // A node inside the zoomed view, pointed at, tells its name and role; clicked, opens its actor.
  const href = await svg.evaluate((s) => {
    const frame = s.getBoundingClientRect();
    for (const a of s.querySelectorAll('a.node')) {
      const c = a.querySelector('circle').getBoundingClientRect();
      const inside = c.left > frame.left + 4 && c.right < frame.right - 4 && c.top > frame.top + 4 && c.bottom < frame.bottom - 4;
      if (inside && c.width >= 6) return a.getAttribute('href');
    }
    return null;
  });
  assert.ok(href, 'some node is inside the zoomed view');
  const node = svg.locator(`a.node[href="${href}"]`);
  await node.hover();
  const title = (await node.locator('title').textContent()).trim();
  assert.match(title, /^.+: .+, betweenness /, 'a node is named with its role');
  assert.equal((await box.locator('p.node-info').textContent()).trim(), title, 'the name and role under the picture');
  await node.click();
  await page.waitForURL((u) => u.pathname + u.search === href);
  await page.locator('h1').waitFor();

  // Back, zoomed in with the buttons: the first broker of the shortlist, reached with Tab, is
  // brought into view, named under the picture and opened with Enter.
  ({ box, bar, svg } = await open());
  for (let i = 0; i < 4; i += 1) await bar.getByRole('button', { name: 'Zoom in' }).click();
  const zoomed = await changed(page, svg, whole, 'Four presses of Zoom in');
  const broker = await page.locator('table.shortlist tbody tr a').first().getAttribute('href');
  const brokerNode = svg.locator(`a.node[href="${broker}"]`);
  await brokerNode.focus();
  const inView = await brokerNode.evaluate((a) => {
    const s = a.ownerSVGElement.getBoundingClientRect();
    const c = a.querySelector('circle').getBoundingClientRect();
    const [x, y] = [c.left + c.width / 2, c.top + c.height / 2];
    return x >= s.left && x <= s.right && y >= s.top && y <= s.bottom;
  });
  assert.ok(inView, 'the focused broker is in the zoomed view');
  assert.equal((await viewBox(svg))[2], zoomed[2], 'focusing keeps the zoom');
  const told = (await box.locator('p.node-info').textContent()).trim();
  assert.equal(told, (await brokerNode.locator('title').textContent()).trim(), 'the focused node is named');
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.pathname + u.search === broker);
  await page.locator('h1').waitFor();
  // And Whole picture resets.
  ({ box, bar, svg } = await open());
  await bar.getByRole('button', { name: 'Zoom in' }).click();
  v = await changed(page, svg, whole, 'Zoom in');
  await bar.getByRole('button', { name: 'Whole picture' }).click();
  assert.deepEqual(await changed(page, svg, v, 'Whole picture'), whole);
}
