#!/usr/bin/env node
// Panels come back after a window reload: opens an entry from the directory tree by clicks, the LDAP Query and
// Test a Login panels from the palette, reloads the code-server page (which restarts the extension host, so the
// e2e suite inside it cannot do this), and reads each restored tab. Runs the packaged .vsix (as npm test does) or,
// given a folder, the extension in development mode. Prints "N passed, N failed", writes test-results/restore.json.
// usage: node restore-check.js <vsix | extensionDevelopmentPath> <screenshotDir>
const fs = require('fs');
const os = require('os');
const path = require('path');
const { checks } = require('./checks');
const { freePort, startCodeServer, workbenchUrl, launchBrowser } = require('./codeserver');
const ACCOUNTS = require('../../fixtures/accounts.json');
const { writeSampleConnection } = require('../../fixtures/sampleConnection');

const CONNECTION = 'restore-ldap';
const BASE = ACCOUNTS.slapd.baseDn;
const ENTRY = `cn=bridge,ou=services,${BASE}`;
const ROWS = '.part.sidebar .monaco-list-row';
const row = (label) => `${ROWS}:has(.monaco-highlighted-label:text-is("${label}"))`;
const tab = (title) => `.tabs-container .tab:has(.label-name:text-is("${title}"))`;

(async () => {
  const [target, shotDir] = process.argv.slice(2).map((p) => path.resolve(p));
  let page;
  const { check, finish } = checks('restore', { screenshotDir: shotDir, page: () => page });
  // the connection, as `npm start` hands its sample over (extension/playground.ts): the shared slapd
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'restore-check-'));
  const sample = path.join(tmp, 'connection.json');
  writeSampleConnection(sample, {
    name: CONNECTION,
    url: process.env.SLAPD_URL || 'ldap://127.0.0.1:3890',
    emailDomains: ['restore.example'],
    cacheEnabled: false,
  });
  const hubPort = await freePort();
  const vsix = target.endsWith('.vsix');
  const cs = await startCodeServer({
    installExtensions: vsix ? [target] : [],
    settings: { 'directoryBridge.hub.port': hubPort },
    env: { DIRECTORY_BRIDGE_SAMPLE_CONNECTION: sample },
  });
  const browser = await launchBrowser();
  fs.mkdirSync(shotDir, { recursive: true });
  const shot = (page, name) => page.screenshot({ path: path.join(shotDir, `${name}.png`) });
  try {
    console.log(`panels restored after a reload (${vsix ? path.basename(target) : 'development mode'})`);
    page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    const webview = () => page.frameLocator('iframe.webview.ready:visible').frameLocator('#active-frame');
    const command = async (title) => {
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').waitFor({ timeout: 20000 });
      await page.keyboard.type(title, { delay: 5 });
      await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().click({ timeout: 20000 });
    };
    await page.goto(
      vsix
        ? `${cs.url}/?folder=${encodeURIComponent(cs.workspace)}`
        : workbenchUrl(cs, { extensionDevelopmentPath: target }),
    );
    await check('an entry opens from the directory tree by clicks', async () => {
      await page.locator('.part.activitybar [aria-label^="Directory Bridge"]').first().click({ timeout: 60000 });
      for (const label of [CONNECTION, 'Directory']) {
        await page.locator(row(label)).first().click({ timeout: 30000 });
        // the row's rich tooltip would cover the rows below
        await page.mouse.move(1000, 700);
      }
      // the OU's count shows once its row is drawn afresh (the tree fix of 2026-11-29: before it, it never did)
      await page
        .locator(row('ou=services'), { hasText: /2 entries/ })
        .first()
        .waitFor({ timeout: 30000 });
      await page.locator(row('ou=services')).first().click({ timeout: 30000 });
      await page.mouse.move(1000, 700);
      await page.locator(row('cn=bridge')).first().click({ timeout: 15000 });
      await page.locator(tab('Entry: cn=bridge')).waitFor({ timeout: 20000 });
      await webview().locator('h2.dn', { hasText: ENTRY }).waitFor({ timeout: 20000 });
    });
    await check('LDAP Query and Test a Login open, each with something typed and run', async () => {
      await command('Directory Bridge: Open LDAP Query');
      await webview().locator('#filter input').fill('(uid=alice)', { timeout: 20000 });
      await webview().locator('#filter input').press('Enter');
      await webview()
        .locator('#status', { hasText: /1 entr/ })
        .waitFor({ timeout: 20000 });
      await command('Directory Bridge: Test a Login');
      await webview().locator('#username input').fill('alice', { timeout: 20000 });
      await webview().locator('#password input').fill(ACCOUNTS.passwords.alice);
      await webview().locator('#password input').press('Enter');
      await webview().locator('.verdict').first().waitFor({ timeout: 20000 });
      await shot(page, '101-restore-before-reload');
    });
    // the way an admin reloads: the command, which lets the workbench save its editors before it goes
    const t1 = Date.now();
    await Promise.all([page.waitForEvent('load', { timeout: 60000 }), command('Developer: Reload Window')]);
    await check('after the reload the entry tab is back, read afresh: its DN and an attribute', async () => {
      await page.locator(tab('Entry: cn=bridge')).click({ timeout: 30000 });
      await webview().locator('h2.dn', { hasText: ENTRY }).waitFor({ timeout: 30000 });
      const names = await webview().locator('#detail dt').allInnerTexts();
      const values = await webview().locator('#detail dd').allInnerTexts();
      if (!names.includes('cn') || !values.includes('bridge')) throw new Error(`attributes: ${names.join(', ')}`);
      const note = await webview().locator('#note').innerText();
      if (!new RegExp(`^\\d+ attributes, read from "${CONNECTION}" in \\d+ ms`).test(note))
        throw new Error(`note: ${note}`);
      console.log(`    restored and read in ${Date.now() - t1} ms after the reload`);
      await shot(page, '102-restored-entry');
    });
    await check('the LDAP Query tab is back with its filter', async () => {
      await page.locator(tab('LDAP Query')).click({ timeout: 20000 });
      const filter = webview().locator('#filter input');
      await filter.waitFor({ timeout: 20000 });
      for (let i = 0; i < 50 && (await filter.inputValue()) !== '(uid=alice)'; i++) await page.waitForTimeout(100);
      if ((await filter.inputValue()) !== '(uid=alice)') throw new Error(`filter: ${await filter.inputValue()}`);
      await shot(page, '103-restored-query');
    });
    await check('the Test a Login tab is back with its user name, its password field empty', async () => {
      await page.locator(tab('Test a Login')).click({ timeout: 20000 });
      const user = webview().locator('#username input');
      await user.waitFor({ timeout: 20000 });
      for (let i = 0; i < 50 && (await user.inputValue()) !== 'alice'; i++) await page.waitForTimeout(100);
      if ((await user.inputValue()) !== 'alice') throw new Error(`user name: ${await user.inputValue()}`);
      const pw = await webview().locator('#password input').inputValue();
      if (pw !== '') throw new Error('the password came back after the reload');
      await shot(page, '104-restored-login');
    });
  } finally {
    await browser.close().catch(() => {});
    await cs.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  finish();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
