import { describe, expect, it } from 'vitest';
import { DEFAULT_HOST, DEFAULT_PORT, parseServeArgs, USAGE } from '../../../src/server/args';

const CWD = '/home/learner/project';

function ok(argv: string[]) {
  const r = parseServeArgs(argv, CWD);
  if (!r.ok) throw new Error(`refused: ${r.message}`);
  return r.value;
}

function refused(argv: string[]) {
  const r = parseServeArgs(argv, CWD);
  if (r.ok) throw new Error(`accepted: ${argv.join(' ')}`);
  return r;
}

describe('parseServeArgs', () => {
  it('defaults: 127.0.0.1:4566, in memory, no trail', () => {
    expect(ok([])).toEqual({ host: DEFAULT_HOST, port: DEFAULT_PORT, isTrail: false, isHelp: false });
    expect(DEFAULT_HOST).toBe('127.0.0.1');
    expect(DEFAULT_PORT).toBe(4566);
  });

  it('reads every flag; file names become absolute', () => {
    const seed = 'ab'.repeat(32);
    const v = ok(['--port', '0', '--host', '0.0.0.0', '--data', 'sb.json', '--sandbox', '/tmp/export.json', '--trail', '--trail-file=trail.jsonl', '--seed', seed]);
    expect(v).toEqual({
      host: '0.0.0.0',
      port: 0,
      dataFile: `${CWD}/sb.json`,
      sandboxFile: '/tmp/export.json',
      isTrail: true,
      trailFile: `${CWD}/trail.jsonl`,
      seed: new Uint8Array(32).fill(0xab),
      isHelp: false,
    });
    expect(ok(['--seed', 'AB'.repeat(32)]).seed).toEqual(new Uint8Array(32).fill(0xab));
    expect(ok(['-h']).isHelp).toBe(true);
    expect(ok(['--help']).isHelp).toBe(true);
    expect(ok(['--port', '65535']).port).toBe(65535);
  });

  it.each([
    [['--bogus'], /bogus/],
    [['extra'], /extra/],
    [['--port'], /port/],
    [['--port', 'abc'], /--port: expected a number from 0 to 65535, got 'abc'/],
    [['--port', '65536'], /--port/],
    [['--port', '-1'], /port/],
    [['--port', '1.5'], /--port/],
    [['--host', ''], /--host/],
    [['--data', ''], /--data: expected a file name/],
    [['--seed', 'abc'], /--seed: expected 64 hex characters/],
    [['--seed', 'zz'.repeat(32)], /--seed/],
    [['--trail=yes'], /trail/],
    [['--data', 'a.json', '--trail-file', 'a.json'], /--trail-file: must not be the --data file/],
  ])('refuses %j as a usage error', (argv, message) => {
    const r = refused(argv);
    expect(r.reason).toBe('usage');
    expect(r.message).toMatch(message);
  });

  it.each(['https://example.com/#sandbox=1.abc', 'http://localhost:5173/', '#sandbox=1.abc'])('takes a share link as --sandbox (%s)', (link) => {
    const r = parseServeArgs(['--sandbox', link], '/work');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.sandboxLink).toBe(link);
      expect(r.value.sandboxFile).toBeUndefined();
    }
  });

  it('takes a file: URL as a path', () => {
    const r = parseServeArgs(['--sandbox', 'file:///tmp/x.json'], '/work');
    expect(r.ok && r.value.sandboxFile).toBe('/tmp/x.json');
  });

  it('the usage text names every flag', () => {
    for (const flag of ['--port', '--host', '--data', '--sandbox', '--trail', '--trail-file', '--seed', '--help']) expect(USAGE).toContain(flag);
  });
});
