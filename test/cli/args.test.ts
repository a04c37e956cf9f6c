import { describe, expect, it } from 'vitest';
import { HELP, parseCommandLine, UsageError } from '../../src/cli/args.js';

const parse = (line: string, env: Record<string, string> = {}) => parseCommandLine(line.split(' ').filter(Boolean), env);

describe('jupyter-sdk argument parsing', () => {
  it('parses run with every option', () => {
    expect(
      parse('run a.ipynb --url http://h:8888 --token t --kernel py --out o.ipynb --timeout 1.5 --allow-errors --progress lines'),
    ).toEqual({
      command: 'run',
      notebooks: ['a.ipynb'],
      server: { url: 'http://h:8888', token: 't' },
      hub: undefined,
      kernel: 'py',
      out: 'o.ipynb',
      outDir: undefined,
      inplace: false,
      jobs: undefined,
      parameters: [],
      timeout: 1500,
      allowErrors: true,
      remote: false,
      skipTagged: true,
      progress: 'lines',
    });
  });

  it('takes -p/-r NAME VALUE pairs and -f files in order, words after the flag as they are', () => {
    const cmd = parseCommandLine(
      ['run', 'a.ipynb', '-p', 'alpha', '0.5', '-r', 'raw', '-5', '--parameter', 'name', 'two words', '-f', 'p.yaml', '--parameters-file=q.json', '-j', '4', '--out-dir', 'out'],
      {},
    );
    expect(cmd).toMatchObject({
      command: 'run',
      notebooks: ['a.ipynb'],
      jobs: 4,
      outDir: 'out',
      parameters: [
        { kind: 'typed', name: 'alpha', value: '0.5' },
        { kind: 'raw', name: 'raw', value: '-5' },
        { kind: 'typed', name: 'name', value: 'two words' },
        { kind: 'file', file: 'p.yaml' },
        { kind: 'file', file: 'q.json' },
      ],
    });
    // After --, -p is a notebook name like any other.
    expect(parseCommandLine(['run', '--', '-p'], {})).toMatchObject({ notebooks: ['-p'], parameters: [] });
  });

  it('runs on a local server when --url is absent, even with JUPYTER_URL set', () => {
    const cmd = parse('run a.ipynb b.ipynb --inplace', { JUPYTER_URL: 'http://elsewhere' });
    expect(cmd).toMatchObject({ command: 'run', notebooks: ['a.ipynb', 'b.ipynb'], server: undefined, inplace: true });
  });

  it('takes the token from JUPYTER_TOKEN when --url is given without --token', () => {
    expect(parse('run a.ipynb --url http://h', { JUPYTER_TOKEN: 'env-t' })).toMatchObject({ server: { url: 'http://h', token: 'env-t' } });
  });

  it.each([
    ['run', /at least one NOTEBOOK/],
    ['run a.ipynb --out x.ipynb --inplace', /cannot be used together/],
    ['run a.ipynb --out-dir d --inplace', /--out-dir and --inplace cannot be used together/],
    ['run a.ipynb --out-dir', /argument missing/],
    ['run a.ipynb -p alpha', /-p needs NAME VALUE/],
    ['run a.ipynb -r', /-r needs NAME VALUE/],
    ['run a.ipynb -f', /-f needs a FILE/],
    ['run a.ipynb --parameter=a 1', /takes two words/],
    ['run a.ipynb --jobs 0', /--jobs takes a whole number of at least 1/],
    ['run a.ipynb -j 1.5', /--jobs takes a whole number/],
    ['run a.ipynb -j many', /--jobs takes a whole number/],
    ['run a.ipynb b.ipynb --out x.ipynb', /--out takes one notebook/],
    ['run a.ipynb --timeout 0', /positive number of seconds/],
    ['run a.ipynb --timeout soon', /positive number of seconds/],
    ['run a.ipynb --remote', /--remote needs --url/],
    ['run a.ipynb --bogus', /Unknown option '--bogus'.*run --help/],
    ['run a.ipynb --url not-a-url', /not a URL/],
    ['run a.ipynb --url ftp://h', /http or https/],
    ['run a.ipynb --progress fancy', /bar, lines or none/],
    ['frobnicate', /unknown command "frobnicate"/],
    ['ls', /pass --url URL or set JUPYTER_URL/],
    ['get --url http://h', /get needs a PATH/],
    ['put --url http://h', /put needs a FILE/],
    ['kernels extra --url http://h', /unexpected argument "extra"/],
  ])('refuses %j with a UsageError', (line, message) => {
    let error: unknown;
    try {
      parse(line);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
  });

  it('reads --url and --token for ls, get, put and kernels from JUPYTER_URL and JUPYTER_TOKEN', () => {
    const env = { JUPYTER_URL: 'http://h:1', JUPYTER_TOKEN: 'tok' };
    const server = { url: 'http://h:1', token: 'tok' };
    expect(parse('ls dir', env)).toEqual({ command: 'ls', server, path: 'dir' });
    expect(parse('get a.txt --out b.txt', env)).toEqual({ command: 'get', server, path: 'a.txt', out: 'b.txt' });
    expect(parse('put local.csv data/', env)).toEqual({ command: 'put', server, file: 'local.csv', path: 'data/' });
    expect(parse('kernels', env)).toEqual({ command: 'kernels', server });
    expect(parse('ls --url http://other --token x', env)).toEqual({ command: 'ls', server: { url: 'http://other', token: 'x' }, path: '' });
  });

  it('answers --help for the program and for every command, without needing a server', () => {
    expect(parse('--help')).toEqual({ command: 'help', text: HELP.main });
    for (const name of ['run', 'ls', 'get', 'put', 'kernels'] as const) {
      expect(parse(`${name} --help`)).toEqual({ command: 'help', text: HELP[name] });
      expect(parse(`help ${name}`)).toEqual({ command: 'help', text: HELP[name] });
      expect(HELP[name]).toMatch(new RegExp(`^Usage: jupyter-sdk ${name}`));
    }
    expect(parse('-v')).toEqual({ command: 'version' });
  });

  it('treats no arguments at all as a usage error that shows the usage (stderr, exit 2)', () => {
    expect(parse('')).toEqual({ command: 'usage', text: HELP.main });
  });

  it('parses --hub with its token, servers, user, timeout and spawner options; the token may come from JUPYTERHUB_API_TOKEN', () => {
    expect(
      parseCommandLine(
        ['run', 'a.ipynb', 'b.ipynb', '--hub', 'http://hub:8000/', '--hub-token', 'ht', '--hub-servers', '3', '--hub-user', 'ana', '--hub-timeout', '90', '--hub-options', '{"profile":"small"}', '-j', '2'],
        { JUPYTERHUB_API_TOKEN: 'env-ht' },
      ),
    ).toMatchObject({
      command: 'run',
      server: undefined,
      jobs: 2,
      hub: { url: 'http://hub:8000', token: 'ht', servers: 3, user: 'ana', timeout: 90_000, options: { profile: 'small' } },
    });
    expect(parse('run a.ipynb --hub http://hub', { JUPYTERHUB_API_TOKEN: 'env-ht' })).toMatchObject({
      hub: { url: 'http://hub', token: 'env-ht', servers: 1, user: undefined, timeout: undefined, options: undefined },
    });
  });

  it.each([
    ['run a.ipynb --hub http://hub', {}, /^--hub needs an API token: pass --hub-token TOKEN or set JUPYTERHUB_API_TOKEN$/],
    ['run a.ipynb --hub http://hub --url http://h --hub-token t', {}, /--hub and --url cannot be used together/],
    ['run a.ipynb --hub http://hub --token t', { JUPYTERHUB_API_TOKEN: 'x' }, /--token is for --url; the hub takes --hub-token/],
    ['run a.ipynb --hub http://hub --remote', { JUPYTERHUB_API_TOKEN: 'x' }, /--remote needs --url/],
    ['run a.ipynb --hub-servers 2', {}, /^--hub-servers needs --hub URL$/],
    ['run a.ipynb --hub-user ana', {}, /^--hub-user needs --hub URL$/],
    ['run a.ipynb --hub-token t', {}, /^--hub-token needs --hub URL$/],
    ['run a.ipynb --hub ftp://hub --hub-token t', {}, /--hub must be an http or https URL, got ftp/],
    ['run a.ipynb --hub nope --hub-token t', {}, /--hub is not a URL/],
    ['run a.ipynb --hub http://hub --hub-token t --hub-servers 0', {}, /--hub-servers takes a whole number of at least 1, got "0"/],
    ['run a.ipynb --hub http://hub --hub-token t --hub-servers 1.5', {}, /--hub-servers takes a whole number/],
    ['run a.ipynb --hub http://hub --hub-token t --hub-user a/b', {}, /--hub-user needs a user name/],
    ['run a.ipynb --hub http://hub --hub-token t --hub-timeout 0', {}, /--hub-timeout takes a positive number of seconds/],
    ['run a.ipynb --hub http://hub --hub-token t --hub-options [1]', {}, /--hub-options takes a JSON object/],
    ['run a.ipynb --hub http://hub --hub-token t --hub-options {', {}, /--hub-options takes a JSON object/],
  ])('refuses %s', (line, env, message) => {
    expect(() => parse(line, env)).toThrow(UsageError);
    expect(() => parse(line, env)).toThrow(message);
  });

  it('documents --hub and JUPYTERHUB_API_TOKEN in the run help', () => {
    for (const flag of ['--hub URL', '--hub-token TOKEN', '--hub-servers N', '--hub-user NAME', '--hub-timeout S', '--hub-options JSON', 'JUPYTERHUB_API_TOKEN']) {
      expect(HELP.run).toContain(flag);
    }
  });
});
