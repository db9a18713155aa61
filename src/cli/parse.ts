/**
 * Parses an `aws kms <command> [--flags]` line as the AWS CLI v2 does (argparse conventions):
 * global options anywhere after `aws`; `--flag value` or `--flag=value`; list members take every
 * following word up to the next `--flag`; booleans are `--dry-run` / `--no-dry-run`; required
 * members are checked; unknown words are "Unknown options"; paginated commands take
 * `--max-items`, `--starting-token`, `--page-size`, `--no-paginate`; `--cli-input-json` and
 * `--generate-cli-skeleton` work as in the CLI. Errors carry the CLI's wording and exit status
 * (252 for command-line errors).
 *
 * In the page `--profile` does not exist (the principal is picked in the UI), `--region`
 * overrides the UI's Region, and `--endpoint-url` and connection flags are accepted and ignored:
 * the console always talks to this sandbox.
 */
import { convertMember, isListType, ParamError, type BinaryFormat } from './convert';
import { COMMANDS, commandNamed, type CliCommand, type CliMember } from './model';
import { queryProblem } from './query';
import { validateRequest } from './validate';
import { tokenize, type Token } from './tokenize';

/** `--output` values the console renders. */
export const OUTPUT_FORMATS = ['json', 'text', 'table'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
/** `--cli-binary-format` values. */
export const BINARY_FORMATS = ['base64', 'raw-in-base64-out'] as const;

/** Options that apply to any command. */
export interface GlobalOptions {
  readonly output: OutputFormat;
  /** JMESPath expression of `--query`, or null. */
  readonly query: string | null;
  readonly binaryFormat: BinaryFormat;
  /** `--region` (overrides the console's Region), or null. */
  readonly region: string | null;
}

/** The CLI's pagination options (paginated commands only). */
export interface PagingOptions {
  /** False with `--no-paginate`, or when the command cannot paginate. */
  readonly isPaginating: boolean;
  readonly maxItems: number | null;
  readonly startingToken: string | null;
  readonly pageSize: number | null;
}

/** What a console line asks for. */
export type ParsedLine =
  | { readonly kind: 'empty' }
  | { readonly kind: 'version' }
  | { readonly kind: 'help'; readonly topic: 'aws' | 'kms' | CliCommand }
  | { readonly kind: 'skeleton'; readonly command: CliCommand; readonly which: 'input' | 'output' }
  | {
      readonly kind: 'call';
      readonly command: CliCommand;
      /** JSON 1.1 request members (blobs already base64). */
      readonly request: Readonly<Record<string, unknown>>;
      readonly globals: GlobalOptions;
      readonly paging: PagingOptions;
    }
  /** `stderr` is the complete text the CLI would print. */
  | { readonly kind: 'error'; readonly stderr: string; readonly exitCode: number };

/** Global flags that take a value. */
export const GLOBAL_VALUE_FLAGS = ['--output', '--query', '--cli-binary-format', '--region', '--profile', '--endpoint-url', '--color'] as const;
/** Global flags without a value (accepted; only `--version` does something). */
export const GLOBAL_SWITCHES = ['--debug', '--no-cli-pager', '--no-verify-ssl', '--no-sign-request', '--no-paginate', '--version'] as const;
/** Pagination flags of paginated commands that take a value. */
export const PAGING_VALUE_FLAGS = ['--max-items', '--starting-token', '--page-size'] as const;

/** The CLI's usage banner, printed before every command-line error. */
export const USAGE =
  'usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\n' +
  'To see help text, you can run:\n\n  aws help\n  aws <command> help\n  aws <command> <subcommand> help\n';

/** An argparse error: blank line, usage, blank line, `aws: error: …`, blank line (exit 252). */
function usageError(message: string, prefix = 'aws: error: '): ParsedLine {
  return { kind: 'error', stderr: `\n${USAGE}\n${prefix}${message}\n\n`, exitCode: 252 };
}

function paramError(message: string, exitCode = 252): ParsedLine {
  return { kind: 'error', stderr: `\n${message}\n`, exitCode };
}

/** Longest common subsequence ratio, close to difflib's SequenceMatcher.ratio(). */
function similarity(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      dp[i]![j] = a[i - 1] === b[j - 1] ? dp[i - 1]![j - 1]! + 1 : Math.max(dp[i - 1]![j]!, dp[i]![j - 1]!);
    }
  }
  return (2 * dp[a.length]![b.length]!) / (a.length + b.length || 1);
}

/** argparse's "Invalid choice" message (two choices per line, close matches suggested). */
export function invalidChoice(argument: string, value: string, choices: readonly string[]): string {
  const lines: string[] = [];
  for (let i = 0; i < choices.length; i += 2) lines.push(choices.slice(i, i + 2).map((c) => c.padEnd(40)).join(' | '));
  let msg = `argument ${argument}: Invalid choice, valid choices are:\n\n${lines.join('\n')}`;
  const close = choices.filter((c) => similarity(value, c) >= 0.8);
  if (close.length > 0) msg += `\n\n\nInvalid choice: '${value}', maybe you meant:\n\n${close.map((c) => `  * ${c}`).join('\n')}`;
  return msg;
}

/** Flag and inline value of `--flag=value`. */
function splitFlag(word: string): { flag: string; inline: string | null } {
  const eq = word.indexOf('=');
  return eq > 2 ? { flag: word.slice(0, eq), inline: word.slice(eq + 1) } : { flag: word, inline: null };
}

const isFlag = (w: string | undefined) => w !== undefined && w.startsWith('--');

interface Globals {
  output: string;
  query: string | null;
  binaryFormat: string;
  region: string | null;
  profile: string | null;
  isVersion: boolean;
}

/** Parses a console line. Never throws. */
export function parseLine(line: string): ParsedLine {
  const { tokens, openQuote } = tokenize(line);
  if (openQuote) return { kind: 'error', stderr: `\nUnterminated ${openQuote} quote: close it before running the command.\n`, exitCode: 2 };
  const words = tokens.map((t: Token) => t.value);
  if (words.length === 0) return { kind: 'empty' };
  if (words[0] !== 'aws') {
    return { kind: 'error', stderr: `${words[0]}: command not found (this console runs \`aws kms <command>\`; try \`aws kms help\`)\n`, exitCode: 127 };
  }

  const g: Globals = { output: 'json', query: null, binaryFormat: 'base64', region: null, profile: null, isVersion: false };
  const positionals: string[] = [];
  const unknown: string[] = [];
  const given = new Map<CliMember, string[]>();
  const paging = { noPaginate: false, values: new Map<string, string>() };
  let inputJson: string | null = null;
  let skeleton: 'input' | 'output' | null = null;
  let command: CliCommand | undefined;
  let isHelp = false;

  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    if (!isFlag(word)) {
      if (positionals.length < 2) {
        positionals.push(word);
        if (positionals.length === 2) command = commandNamed(word);
      } else if (word === 'help') isHelp = true;
      else unknown.push(word);
      continue;
    }
    const { flag, inline } = splitFlag(word);
    const takeValue = (): string | null => {
      if (inline !== null) return inline;
      const next = words[i + 1];
      if (next === undefined || isFlag(next)) return null;
      i += 1;
      return next;
    };
    if ((GLOBAL_VALUE_FLAGS as readonly string[]).includes(flag)) {
      const v = takeValue();
      if (v === null) return usageError(`argument ${flag}: expected one argument`);
      if (flag === '--output') g.output = v;
      else if (flag === '--query') g.query = v;
      else if (flag === '--cli-binary-format') g.binaryFormat = v;
      else if (flag === '--region') g.region = v;
      else if (flag === '--profile') g.profile = v;
      continue;
    }
    if ((GLOBAL_SWITCHES as readonly string[]).includes(flag)) {
      if (flag === '--version') g.isVersion = true;
      if (flag === '--no-paginate') paging.noPaginate = true;
      continue;
    }
    if (!command) {
      unknown.push(word);
      continue;
    }
    if (command.paginator && (PAGING_VALUE_FLAGS as readonly string[]).includes(flag)) {
      const v = takeValue();
      if (v === null) return usageError(`argument ${flag}: expected one argument`);
      paging.values.set(flag, v);
      continue;
    }
    if (flag === '--cli-input-json') {
      const v = takeValue();
      if (v === null) return usageError(`argument ${flag}: expected one argument`);
      inputJson = v;
      continue;
    }
    if (flag === '--generate-cli-skeleton') {
      const next = inline ?? words[i + 1];
      skeleton = next === 'output' ? 'output' : 'input';
      if (inline === null && (next === 'input' || next === 'output')) i += 1;
      continue;
    }
    const negated = flag.startsWith('--no-') ? command.members.find((m) => m.type === 'boolean' && m.flag === `--${flag.slice(5)}`) : undefined;
    if (negated) {
      given.set(negated, ['false']);
      continue;
    }
    const m = command.members.find((x) => x.flag === flag);
    if (!m) {
      unknown.push(word);
      continue;
    }
    if (m.type === 'boolean') {
      if (inline !== null) return usageError(`argument ${flag}: ignored explicit argument '${inline}'`);
      given.set(m, ['true']);
    } else if (isListType(m.type)) {
      const values = inline !== null ? [inline] : [];
      while (inline === null && words[i + 1] !== undefined && !isFlag(words[i + 1])) values.push(words[++i]!);
      if (values.length === 0) return usageError(`argument ${flag}: expected at least one argument`);
      given.set(m, values);
    } else {
      const v = takeValue();
      if (v === null) return usageError(`argument ${flag}: expected one argument`);
      given.set(m, [v]);
    }
  }

  if (g.isVersion) return { kind: 'version' };
  const [service, commandName] = positionals;
  if (service === undefined || service === 'help') return { kind: 'help', topic: 'aws' };
  if (service !== 'kms') return usageError(`${invalidChoice('command', service, ['kms'])}\n\n(this console speaks AWS KMS only)`);
  if (commandName === undefined) return usageError('the following arguments are required: operation');
  if (commandName === 'help') return { kind: 'help', topic: 'kms' };
  if (!command) return usageError(invalidChoice('operation', commandName, [...COMMANDS.map((c) => c.name), 'help']));
  if (isHelp) return { kind: 'help', topic: command };
  if (skeleton) return { kind: 'skeleton', command, which: skeleton };
  if (unknown.length > 0) return usageError(`Unknown options: ${unknown.join(', ')}`, '');
  if (g.profile !== null) {
    return paramError(`The config profile (${g.profile}) could not be found: profiles do not exist in the page console; pick the access key (the principal) above the console instead.`, 255);
  }
  return finish(command, g, given, paging, inputJson);
}

function finish(
  command: CliCommand,
  g: Globals,
  given: Map<CliMember, string[]>,
  paging: { noPaginate: boolean; values: Map<string, string> },
  inputJson: string | null,
): ParsedLine {
  if (g.output === 'yaml' || g.output === 'yaml-stream') return paramError(`--output ${g.output} is not available in the page console: use json, text or table.`);
  if (!(OUTPUT_FORMATS as readonly string[]).includes(g.output)) {
    return usageError(invalidChoice('--output', g.output, [...OUTPUT_FORMATS, 'yaml', 'yaml-stream']));
  }
  if (!(BINARY_FORMATS as readonly string[]).includes(g.binaryFormat)) {
    return usageError(invalidChoice('--cli-binary-format', g.binaryFormat, BINARY_FORMATS));
  }
  if (g.query !== null) {
    const problem = queryProblem(g.query);
    if (problem) return paramError(`Bad value for --query ${g.query}: Invalid jmespath expression: ${problem}`);
  }
  if (inputJson === null) {
    const missing = command.members.filter((m) => m.isRequired && !given.has(m)).map((m) => m.flag);
    if (missing.length > 0) return usageError(`the following arguments are required: ${missing.join(', ')}`);
  }
  const request: Record<string, unknown> = {};
  try {
    if (inputJson !== null) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(inputJson);
      } catch (e) {
        return paramError(`Error parsing parameter '--cli-input-json': Invalid JSON: ${(e as Error).message}\nJSON received: ${inputJson}`);
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        return paramError(`Error parsing parameter '--cli-input-json': expected a JSON object of request members`);
      }
      Object.assign(request, parsed);
    }
    for (const [m, words] of given) {
      request[m.name] = m.type === 'boolean' ? words[0] === 'true' : convertMember(m, words, g.binaryFormat as BinaryFormat);
    }
  } catch (e) {
    if (e instanceof ParamError) return paramError(e.message, e.exitCode);
    throw e;
  }
  const problems = validateRequest(command, request);
  if (problems.length > 0) return paramError(`Parameter validation failed:\n${problems.join('\n')}`);
  const intFlag = (flag: string): number | null | ParsedLine => {
    const v = paging.values.get(flag);
    if (v === undefined) return null;
    if (!/^\d+$/.test(v) || Number(v) < 1) return usageError(`argument ${flag}: invalid int value: '${v}'`);
    return Number(v);
  };
  const maxItems = intFlag('--max-items');
  const pageSize = intFlag('--page-size');
  if (typeof maxItems === 'object' && maxItems !== null) return maxItems;
  if (typeof pageSize === 'object' && pageSize !== null) return pageSize;
  return {
    kind: 'call',
    command,
    request,
    globals: { output: g.output as OutputFormat, query: g.query, binaryFormat: g.binaryFormat as BinaryFormat, region: g.region },
    paging: {
      isPaginating: command.paginator !== null && !paging.noPaginate,
      maxItems,
      startingToken: paging.values.get('--starting-token') ?? null,
      pageSize,
    },
  };
}
