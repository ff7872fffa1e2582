#!/usr/bin/env node
// Runs the extension's mocha suite inside code-server's real extension host, driven by headless Chromium
// (adapted from shared/recipes/vscode-host/runner/run-ext-tests.js). The suite, which runs in the extension host,
// reaches back to this runner over a loopback HTTP control channel (DBR_E2E_CONTROL) to take screenshots of the
// real workbench and read its DOM.
// usage: node run-e2e.js <extensionDevelopmentPath> <extensionTestsPath> <screenshotDir>
const http = require('http');
const fs = require('fs');
const path = require('path');
const util = require('util');
const { startCodeServer, workbenchUrl, launchBrowser } = require('./codeserver');

const NOISE =
  /^\[(AgentHost|ChatModelSelection|AccountPolicyGate|Service Worker|reconnection-grace-time)\]|^(Resolving|Resolved) connection token|^Creating a socket|^Updating additional builtin extensions cache|open-vsx\.org|^An iframe which has both/;

function fmt(args) {
  args = [...args];
  if (typeof args[0] === 'string' && args[0].startsWith('%c')) {
    args[0] = args[0].slice(2).trim();
    args.splice(1, 1);
  }
  if (args.length > 1 && /^(TRACE|DEBUG|INFO|WARN|ERROR)$/.test(args[0])) args.shift();
  return util.format(...args);
}

/** The control channel: screenshot, text of elements, click, keyboard. */
function controlServer(getPage, shotDir) {
  const server = http.createServer(async (req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    await new Promise((r) => req.on('end', r));
    const reply = (status, obj) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(obj));
    };
    try {
      const page = getPage();
      const o = body ? JSON.parse(body) : {};
      if (req.url === '/screenshot') {
        fs.mkdirSync(shotDir, { recursive: true });
        const file = path.join(shotDir, `${o.name}.png`);
        await page.waitForTimeout(o.settleMs ?? 400);
        if (o.selector) await page.locator(o.selector).first().screenshot({ path: file });
        else await page.screenshot({ path: file });
        return reply(200, { file });
      }
      // `webview: true` looks inside the visible webview (outer iframe, then its #active-frame)
      const root = o.webview ? page.frameLocator('iframe.webview.ready:visible').frameLocator('#active-frame') : page;
      if (req.url === '/texts') {
        if (o.waitFor)
          await root
            .locator(o.selector, { hasText: o.waitFor })
            .first()
            .waitFor({ timeout: o.timeoutMs ?? 10000 });
        const texts = await root.locator(o.selector).allInnerTexts();
        return reply(200, { texts });
      }
      if (req.url === '/visible') {
        // what a person can read of each element's text: the characters left of the clipping box's right edge
        // (minus the ellipsis), since CSS truncation leaves innerText whole
        /* global document, NodeFilter -- this function runs in the page */
        const rows = await root.locator(o.selector).evaluateAll(
          (els, clipSel) =>
            els.map((el) => {
              const box = (clipSel && el.closest(clipSel)) || el.parentElement || el;
              const full = el.textContent || '';
              const clipped = box.scrollWidth > box.clientWidth + 1;
              const right = box.getBoundingClientRect().right - (clipped ? 12 : 0);
              let visible = '';
              const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
              const range = document.createRange();
              for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                for (let i = 0; i < n.data.length; i++) {
                  range.setStart(n, i);
                  range.setEnd(n, i + 1);
                  const r = range.getBoundingClientRect();
                  if (r.width === 0 && /\s/.test(n.data[i])) visible += n.data[i];
                  else if (r.right <= right) visible += n.data[i];
                }
              }
              return { full, visible: visible.trimEnd(), clipped: visible.trimEnd() !== full.trimEnd() };
            }),
          o.clip,
        );
        return reply(200, { rows });
      }
      if (req.url === '/box') {
        return reply(200, {
          box: await root
            .locator(o.selector)
            .first()
            .boundingBox({ timeout: o.timeoutMs ?? 10000 }),
        });
      }
      if (req.url === '/hover') {
        await root
          .locator(o.selector, o.hasText ? { hasText: o.hasText } : {})
          .first()
          .hover({ timeout: o.timeoutMs ?? 10000 });
        return reply(200, {});
      }
      if (req.url === '/value') {
        return reply(200, {
          value: await root
            .locator(o.selector)
            .first()
            .inputValue({ timeout: o.timeoutMs ?? 10000 }),
        });
      }
      if (req.url === '/click') {
        await root
          .locator(o.selector, o.hasText ? { hasText: o.hasText } : {})
          .first()
          .click({ timeout: o.timeoutMs ?? 10000 });
        return reply(200, {});
      }
      if (req.url === '/fill') {
        await root
          .locator(o.selector)
          .first()
          .fill(o.text, { timeout: o.timeoutMs ?? 10000 });
        return reply(200, {});
      }
      if (req.url === '/focused') {
        // what has the keyboard now: the element's tag, classes, role, label and title (the page, not a webview)
        const focused = await page.evaluate(() => {
          const el = document.activeElement;
          if (!el) return null;
          const a = (n) => el.getAttribute(n) ?? '';
          return {
            tag: el.tagName.toLowerCase(),
            className: String(el.className),
            role: a('role'),
            label: a('aria-label'),
            title: a('title'),
          };
        });
        return reply(200, { focused });
      }
      if (req.url === '/drag') {
        await page.mouse.move(o.from[0], o.from[1]);
        await page.mouse.down();
        await page.mouse.move(o.to[0], o.to[1], { steps: 8 });
        await page.mouse.up();
        await page.mouse.move(1000, 700);
        return reply(200, {});
      }
      if (req.url === '/press') {
        // with a selector: the key goes to that element (focused first), as a person's keystroke would
        if (o.selector)
          await root
            .locator(o.selector)
            .first()
            .press(o.key, { timeout: o.timeoutMs ?? 10000 });
        else await page.keyboard.press(o.key);
        return reply(200, {});
      }
      if (req.url === '/type') {
        if (o.selector)
          await root
            .locator(o.selector)
            .first()
            .pressSequentially(o.text, { delay: 5, timeout: o.timeoutMs ?? 10000 });
        else await page.keyboard.type(o.text, { delay: 5 });
        return reply(200, {});
      }
      reply(404, { error: 'unknown control ' + req.url });
    } catch (e) {
      reply(500, { error: e.message });
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

(async () => {
  const [extDir, testsPath, shotDir] = process.argv.slice(2).map((p) => path.resolve(p));
  const timeoutMs = +(process.env.TEST_TIMEOUT_MS || 600000);
  const t0 = Date.now();
  let page;
  const control = await controlServer(() => page, shotDir);
  const controlUrl = `http://127.0.0.1:${control.address().port}`;
  const cs = await startCodeServer({
    settings: JSON.parse(process.env.E2E_SETTINGS || '{}'),
    env: { DBR_E2E_CONTROL: controlUrl, ...JSON.parse(process.env.E2E_ENV || '{}') },
  });
  console.log(`[e2e] code-server up at ${cs.url} in ${cs.startMs} ms`);
  const browser = await launchBrowser();
  let code = 1;
  try {
    page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    if (process.env.SHOW_BROWSER_CONSOLE) page.on('console', (m) => console.log('[browser]', m.text()));
    page.on('pageerror', (e) => console.log('[pageerror]', e.message));
    let resolveExit;
    const exited = new Promise((r) => (resolveExit = r));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = fmt(args);
      if (process.env.SHOW_ALL_LOGS || !NOISE.test(line)) (type === 'error' ? console.error : console.log)(line);
    });
    await page.exposeFunction('codeAutomationExit', (c) => resolveExit(c));
    await page.goto(workbenchUrl(cs, { extensionDevelopmentPath: extDir, extensionTestsPath: testsPath }));
    code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), timeoutMs))]);
    if (code === 'timeout') {
      console.error(`[e2e] TIMEOUT after ${timeoutMs} ms`);
      await page.screenshot({ path: path.join(shotDir, 'timeout.png') }).catch(() => {});
      code = 124;
    }
  } catch (e) {
    console.error('[e2e] error:', e);
    code = 1;
  } finally {
    await browser.close().catch(() => {});
    await cs.stop();
    control.close();
  }
  console.log(`[e2e] extension host exit code ${code}; total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  process.exit(code);
})();
