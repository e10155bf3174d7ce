// Drives Debian's chromium through playwright-core against the dashboard page:
//   node dashboard-check.js <url> <screenshot.png> <server,server,...> <tool-to-wait-for>
// Prints READY once the page shows the servers (the test then makes a tool call), SEEN when that call
// appeared in the live activity table without a reload, and exits 0; anything else exits 1.
const { chromium } = require('playwright-core');

const [url, screenshot, servers, tool] = process.argv.slice(2);

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const failures = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.on('pageerror', e => failures.push('page error: ' + e.message));
    page.on('console', m => { if (m.type() === 'error') failures.push('console error: ' + m.text()); });
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    for (const name of servers.split(',')) {
      await page.locator('#servers tbody tr', { hasText: name }).first().waitFor({ timeout: 20000 });
    }
    await page.locator('#live.on').waitFor({ timeout: 20000 });
    const before = await page.locator('#k-calls').textContent();
    let navigations = 0;
    page.on('framenavigated', f => { if (f === page.mainFrame()) navigations++; });
    console.log('READY ' + before);
    await page.locator('#activity tbody tr', { hasText: tool }).first().waitFor({ timeout: 30000 });
    if (navigations !== 0) failures.push('the page reloaded');
    // let the count and the charts take the call in, then keep a picture of the result
    await page.waitForFunction(b => document.querySelector('#k-calls').textContent !== b, before, { timeout: 10000 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log('SEEN ' + await page.locator('#k-calls').textContent());
  } catch (e) {
    failures.push(String(e && e.message || e));
  } finally {
    await browser.close();
  }
  if (failures.length) {
    console.log('FAILED ' + failures.join(' | '));
    process.exit(1);
  }
})();
