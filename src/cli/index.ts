/**
 * Public surface of the in-page AWS CLI console (issue 4): `aws kms <command> [--flags]` parsed
 * with the CLI's conventions, sent as KMS JSON 1.1 to a sandbox's wire handler, printed as the
 * CLI prints (json/text/table, --query), with help, history and tab completion. Pure TypeScript:
 * no DOM, so Node tests run it against a real in-process service.
 */
export { runCommandLine, VERSION_LINE, type CliContext, type CliResult } from './run';
export { parseLine, USAGE, OUTPUT_FORMATS, BINARY_FORMATS, type ParsedLine, type GlobalOptions, type PagingOptions, type OutputFormat } from './parse';
export { COMMANDS, commandFor, commandNamed, memberChoices, toKebab, type CliCommand, type CliMember } from './model';
export { renderOutput, formatJson, formatText, shapeResponse, isoTimestamp, TIMESTAMP_MEMBERS } from './output';
export { formatTable } from './table';
export { awsHelp, serviceHelp, commandHelp } from './help';
export { completionsAt, applyCompletion, type CompletionHints, type Completions } from './complete';
export { CommandHistory } from './history';
export { tokenize, quoteWord, type Token } from './tokenize';
export { parseShorthand, ShorthandError } from './shorthand';
export type { BinaryFormat } from './convert';
