// The HTML trace viewer in a real headless Chromium (Debian's `chromium`,
// driven by playwright-core with its executablePath; no browser download).
// .ci/run installs chromium so CI always runs this; on a machine without it
// the test is skipped, and says so loudly. The skip sits on the test itself,
// not on the describe block: node:test counts a skipped test as "skipped",
// but a skipped suite as nothing at all (tests 0, skipped 0).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { checkCommand, defaultCheckArgs, type CheckArgs } from '../../src/cli/checkCommand.ts';

const CHROMIUM = process.env.KLPCHECK_CHROMIUM ?? '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium, as .ci/run does)`;
if (skip) process.stderr.write(`\n*** BROWSER TEST SKIPPED: ${skip} ***\n\n`);

async function s1Html(): Promise<string> {
  let html = '';
  const args: CheckArgs = defaultCheckArgs('specs/livepatch/s1-fork-matrix.yaml', { variant: 'goal/synthetic', format: 'html', timing: false });
  await checkCommand(args, { out: (t) => (html += t), err: () => undefined, isErrTty: false });
  return html;
}

describe('HTML trace viewer in headless Chromium', () => {
  it('loads without console errors, shows every lane of the S1 trace, steps forward and back', { skip }, async () => {
    const { chromium } = await import('playwright-core');
    const dir = mkdtempSync(join(tmpdir(), 'klp-html-'));
    const file = join(dir, 's1.html');
    writeFileSync(file, await s1Html());
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(file).href);
      const lanes = async (): Promise<string[]> => page.locator('.lane').evaluateAll((els) => els.map((e) => e.getAttribute('data-lane') ?? ''));
      assert.equal(await page.locator('#step').textContent(), 'Step 1 of 5');
      assert.deepEqual(await lanes(), ['parent']);
      for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
      assert.equal(await page.locator('#step').textContent(), 'Step 5 of 5');
      // The trace's last state has both tasks; the child's kernel_clone@orig frame is stale.
      assert.deepEqual(await lanes(), ['parent', 'child1']);
      assert.deepEqual(await page.locator('.lane[data-lane="child1"] .box.stale').allTextContents(), ['kernel_clone@orig  (stale)']);
      assert.match((await page.locator('#why').textContent()) ?? '', /^frames-agree-with-dispatch breaks: child1 \(PATCHED\) has a frame of kernel_clone@orig/);
      await page.keyboard.press('ArrowLeft');
      assert.equal(await page.locator('#step').textContent(), 'Step 4 of 5');
      assert.deepEqual(await lanes(), ['parent']);
      await page.keyboard.press('End');
      const shot = join(dir, 's1.png');
      await page.screenshot({ path: shot, fullPage: true });
      assert.deepEqual([...readFileSync(shot).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
      assert.deepEqual(errors, []);
      process.stderr.write(`screenshot: ${shot}\n`);
    } finally {
      await browser.close();
    }
  });
});
