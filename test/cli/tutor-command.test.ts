// Loading the tutor's Ink the way `kubedojo` does (the built command, in a fresh process): Ink's
// layout engine is ready without Node's HTTP client being loaded for it, and fetch is there again
// afterwards for whatever needs it.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/serve.js';

function inFreshNode(script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout.trim())));
  });
}

describe('loading the tutor', () => {
  it('loads Ink, and lays a box out with it, without loading the HTTP client behind fetch', async () => {
    const command = pathToFileURL(path.join(ROOT, 'dist', 'src', 'cli', 'tutor-command.js')).href;
    const out = await inFreshNode(`
      const { importInteractively } = await import(${JSON.stringify(command)});
      const { Box, renderToString } = await importInteractively(() => import('ink'));
      const React = (await import('react')).default;
      const drawn = renderToString(React.createElement(Box, { width: 4, height: 1, borderStyle: 'single' }));
      console.log(JSON.stringify({ undici: process.moduleLoadList.some((m) => m.includes('undici')), fetch: typeof fetch, drawn: drawn.length > 0 }));
    `);
    expect(JSON.parse(out)).toEqual({ undici: false, fetch: 'function', drawn: true });
  });
});
