/** Result of turning a key-console form into AWS requests: the value, or messages per field. */
export type FormResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: Readonly<Record<string, string>> };
