// The record of requests already acted on: kept on disk for the next bot on the same data dir,
// readable by its owner only, and forgetting what is older than Slack's window allows.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REMEMBER_MS, SeenRequests } from '../../../adapters/slack/requests.js';
import { removeHome } from './support.js';

const home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-slack-seen-'));
afterAll(() => removeHome(home));

describe('the requests already acted on', () => {
  it('are known once, and known again by a new instance on the same file', () => {
    const file = path.join(home, 'a', 'slack-requests.json');
    const first = new SeenRequests(file);
    expect(first.firstTime('trig.1')).toBe(true);
    expect(first.firstTime('trig.1')).toBe(false);
    const second = new SeenRequests(file);
    expect(second.firstTime('trig.1')).toBe(false);
    expect(second.firstTime('Ev2')).toBe(true);
  });

  it('are kept in a file only its owner may read', () => {
    const file = path.join(home, 'b', 'slack-requests.json');
    new SeenRequests(file).firstTime('trig.2');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('are forgotten once older than ten minutes, in the file too', () => {
    const file = path.join(home, 'c', 'slack-requests.json');
    let now = 1_000_000;
    const seen = new SeenRequests(file, () => now);
    seen.firstTime('old');
    now += REMEMBER_MS - 1;
    expect(seen.firstTime('old')).toBe(false);
    seen.firstTime('newer');
    now += 2;
    expect(seen.firstTime('newer')).toBe(false);
    // The file is written with the next new id, without what has expired.
    seen.firstTime('newest');
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')))).toEqual(['newer', 'newest']);
    expect(new SeenRequests(file, () => now).firstTime('old')).toBe(true);
  });

  it('start empty when the file is damaged, rather than refuse to start', () => {
    const file = path.join(home, 'd.json');
    writeFileSync(file, '{"trig.3": 1');
    expect(new SeenRequests(file).firstTime('trig.3')).toBe(true);
  });
});
