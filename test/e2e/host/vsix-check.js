#!/usr/bin/env node
// Installs the packaged .vsix into a fresh code-server as a user would, opens the workbench without any
// development path, and checks that the extension activated: its view container, its welcome view and the hub's
// status bar item. Prints "N passed, N failed" and writes test-results/vsix.json.
// usage: node vsix-check.js <vsix> <screenshotDir>
const fs = require('fs');
const path = require('path');
const { checks } = require('./checks');
const { freePort, startCodeServer, launchBrowser } = require('./codeserver');

(async () => {
  const [vsix, shotDir] = process.argv.slice(2).map((p) => path.resolve(p));
  const { check, finish } = checks('vsix');
  const port = await freePort();
  const cs = await startCodeServer({ installExtensions: [vsix], settings: { 'directoryBridge.hub.port': port } });
  const browser = await launchBrowser();
  try {
    console.log(`packaged extension check (${path.basename(vsix)}, ${(fs.statSync(vsix).size / 1024).toFixed(0)} KB)`);
    await check('installed into the extensions folder', async () => {
      const dirs = fs
        .readdirSync(path.join(cs.tmp, 'extensions'))
        .filter((d) => d.startsWith('directory-bridge.directory-bridge-'));
      if (dirs.length !== 1) throw new Error(`found ${dirs}`);
      const files = fs.readdirSync(path.join(cs.tmp, 'extensions', dirs[0], 'dist'));
      if (!files.includes('connector.js') || files.some((f) => f.endsWith('.map')))
        throw new Error(`dist holds ${files}`);
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(`${cs.url}/?folder=${encodeURIComponent(cs.workspace)}`);
    await check('the activity bar shows Directory Bridge', async () => {
      await page.locator('.part.activitybar [aria-label^="Directory Bridge"]').first().waitFor({ timeout: 60000 });
    });
    await check('the extension activated: the hub is running on loopback', async () => {
      await page.locator('.statusbar-item', { hasText: 'Hub · 0 online' }).first().waitFor({ timeout: 60000 });
    });
    await check('its view opens with the welcome content', async () => {
      await page.locator('.part.activitybar [aria-label^="Directory Bridge"]').first().click();
      await page
        .locator('.part.sidebar .welcome-view-content', { hasText: 'No connections yet' })
        .first()
        .waitFor({ timeout: 30000 });
      fs.mkdirSync(shotDir, { recursive: true });
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(shotDir, '00-installed-vsix.png') });
    });
    await check('its commands are in the palette', async () => {
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').waitFor({ timeout: 20000 });
      await page.keyboard.type('>Directory Bridge: Generate Connector', { delay: 5 });
      await page
        .locator('.quick-input-list .monaco-list-row', { hasText: 'Directory Bridge: Generate Connector Config' })
        .first()
        .waitFor({ timeout: 20000 });
      await page.keyboard.press('Escape');
    });
  } finally {
    await browser.close().catch(() => {});
    await cs.stop();
  }
  finish();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
