/**
 * Tab completion for the console, in the manner of the CLI's `aws_completer`: `aws`, then the
 * service, then `kms` commands, then the command's flags (those not given yet) and global
 * options, and values where they are known: enumerations (`--key-spec`, `--operations`,
 * `--output`, …), and — from hints the UI passes — key ids and aliases for key members, alias
 * names, principal ARNs, Regions (also for `--replica-region`, `--primary-region`) and custom
 * key store ids. One candidate completes the word (and adds a space);
 * several extend it to their common prefix and are listed.
 */
import { COMMANDS, commandNamed, memberChoices, type CliCommand, type CliMember } from './model';
import { BINARY_FORMATS, GLOBAL_SWITCHES, GLOBAL_VALUE_FLAGS, OUTPUT_FORMATS, PAGING_VALUE_FLAGS } from './parse';
import { quoteWord, tokenize } from './tokenize';

/** Sandbox values the UI offers for completion. */
export interface CompletionHints {
  readonly keyIds?: readonly string[];
  readonly aliases?: readonly string[];
  readonly principals?: readonly string[];
  readonly regions?: readonly string[];
  /** Custom key store ids (`cks-…`) of the account and Region. */
  readonly customKeyStoreIds?: readonly string[];
}

/** Candidates for the word ending at the cursor, which spans `line[from, to)`. */
export interface Completions {
  readonly from: number;
  readonly to: number;
  /** The word typed so far (unquoted). */
  readonly prefix: string;
  readonly candidates: readonly string[];
}

const KEY_MEMBERS = new Set(['KeyId', 'TargetKeyId', 'SourceKeyId', 'DestinationKeyId']);
const PRINCIPAL_MEMBERS = new Set(['GranteePrincipal', 'RetiringPrincipal']);
const REGION_MEMBERS = new Set(['ReplicaRegion', 'PrimaryRegion']);
const COMMAND_EXTRAS = ['--cli-input-json', '--generate-cli-skeleton'];

function valuesFor(command: CliCommand | undefined, flag: string, hints: CompletionHints): readonly string[] | null {
  if (flag === '--output') return OUTPUT_FORMATS;
  if (flag === '--cli-binary-format') return BINARY_FORMATS;
  if (flag === '--region') return hints.regions ?? [];
  if (flag === '--generate-cli-skeleton') return ['input', 'output'];
  if ((GLOBAL_VALUE_FLAGS as readonly string[]).includes(flag) || (PAGING_VALUE_FLAGS as readonly string[]).includes(flag) || flag === '--cli-input-json') return [];
  const m = command?.members.find((x) => x.flag === flag);
  if (!m || m.type === 'boolean') return null;
  const choices = memberChoices(command!, m.name);
  if (choices.length > 0) return choices;
  if (KEY_MEMBERS.has(m.name)) return [...(hints.aliases ?? []), ...(hints.keyIds ?? [])];
  if (m.name === 'AliasName') return hints.aliases ?? [];
  if (PRINCIPAL_MEMBERS.has(m.name)) return hints.principals ?? [];
  if (REGION_MEMBERS.has(m.name)) return hints.regions ?? [];
  if (m.name === 'CustomKeyStoreId') return hints.customKeyStoreIds ?? [];
  return [];
}

function flagsFor(command: CliCommand, used: ReadonlySet<string>, prefix: string): string[] {
  const members = command.members.filter((m: CliMember) => !used.has(m.flag));
  const flags = [
    ...members.filter((m) => m.isRequired).map((m) => m.flag),
    ...members.filter((m) => !m.isRequired).map((m) => m.flag),
    ...(prefix.startsWith('--no-') ? members.filter((m) => m.type === 'boolean').map((m) => `--no-${m.flag.slice(2)}`) : []),
    ...(command.paginator ? [...PAGING_VALUE_FLAGS, '--no-paginate'] : []),
    ...COMMAND_EXTRAS,
    ...GLOBAL_VALUE_FLAGS.filter((f) => f !== '--profile'),
    ...GLOBAL_SWITCHES.filter((f) => f !== '--version' && f !== '--no-paginate'),
  ];
  return [...new Set(flags)].filter((f) => !used.has(f));
}

/** Completion candidates at `cursor` (default: end of line). */
export function completionsAt(line: string, cursor = line.length, hints: CompletionHints = {}): Completions {
  const head = line.slice(0, cursor);
  const { tokens } = tokenize(head);
  const endsInWord = tokens.length > 0 && tokens.at(-1)!.end === head.length && !/\s$/.test(head);
  const current = endsInWord ? tokens.at(-1)! : { value: '', start: cursor, end: cursor };
  const before = (endsInWord ? tokens.slice(0, -1) : tokens).map((t) => t.value);
  const prefix = current.value;
  const result = (all: readonly string[]): Completions => ({
    from: current.start,
    to: cursor,
    prefix,
    candidates: [...new Set(all)].filter((c) => c.startsWith(prefix)),
  });

  if (before.length === 0) return result(['aws']);
  if (before[0] !== 'aws') return result([]);

  // Positionals (service, command) and flags used so far; the flag the current word belongs to.
  const positionals: string[] = [];
  const used = new Set<string>();
  let command: CliCommand | undefined;
  let owner: string | null = null;
  for (let i = 1; i < before.length; i++) {
    const w = before[i]!;
    if (w.startsWith('--')) {
      const flag = w.split('=')[0]!;
      used.add(flag);
      const values = w.includes('=') ? null : valuesFor(command, flag, hints);
      owner = values !== null ? flag : null;
      continue;
    }
    const ownerMember = owner ? command?.members.find((m) => m.flag === owner) : undefined;
    if (owner && (ownerMember?.type === 'stringList' || ownerMember?.type === 'tagList')) continue;
    if (owner) {
      owner = null;
      continue;
    }
    positionals.push(w);
    if (positionals.length === 2) command = commandNamed(w);
  }

  if (owner !== null && !prefix.startsWith('--')) return result(valuesFor(command, owner, hints) ?? []);
  if (positionals.length === 0) return result(prefix.startsWith('-') ? [...GLOBAL_VALUE_FLAGS, '--version'] : ['kms', 'help']);
  if (positionals[0] !== 'kms') return result([]);
  if (positionals.length === 1) return result([...COMMANDS.map((c) => c.name), 'help']);
  if (!command) return result([]);
  if (prefix.startsWith('-') || prefix === '') return result(prefix === '' ? [...flagsFor(command, used, prefix), 'help'] : flagsFor(command, used, prefix));
  return result(['help']);
}

function commonPrefix(words: readonly string[]): string {
  if (words.length === 0) return '';
  let p = words[0]!;
  for (const w of words) while (!w.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/** The line after pressing Tab, the new cursor, and the candidates to list when several remain. */
export function applyCompletion(
  line: string,
  cursor: number,
  hints: CompletionHints = {},
): { readonly line: string; readonly cursor: number; readonly candidates: readonly string[] } {
  const c = completionsAt(line, cursor, hints);
  if (c.candidates.length === 0) return { line, cursor, candidates: [] };
  const replace = (text: string) => ({ line: line.slice(0, c.from) + text + line.slice(c.to), cursor: c.from + text.length });
  if (c.candidates.length === 1) return { ...replace(`${quoteWord(c.candidates[0]!)} `), candidates: [] };
  const common = commonPrefix(c.candidates);
  const extended = common.length > c.prefix.length ? replace(quoteWord(common)) : { line, cursor };
  return { ...extended, candidates: c.candidates };
}
