/**
 * `--query`: JMESPath (jmespath.org; the `jmespath` package, as the CLI uses jmespath.py) applied
 * to the response after the CLI's own shaping (blobs base64, timestamps ISO 8601), before output
 * formatting, exactly where `awscli/formatter.py` applies it.
 */
import * as jmespath from 'jmespath';

// The package exports compile() (parse only), which its type declarations leave out.
const jp = jmespath as unknown as { compile(expression: string): unknown; search(data: unknown, expression: string): unknown };

/** Why an expression does not parse, or null when it does. */
export function queryProblem(expression: string): string | null {
  try {
    jp.compile(expression);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Evaluates `expression` on `data`; throws the evaluation error (e.g. an unknown function). */
export function applyQuery(data: unknown, expression: string): unknown {
  return jp.search(data, expression);
}
