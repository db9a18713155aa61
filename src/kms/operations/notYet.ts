/**
 * A placeholder for an operation whose handler is being written (issue 7): it answers
 * UnsupportedOperationException naming itself, never a crash. Nothing may stay on it at release.
 */
import { kmsError } from '../errors';
import type { Operation } from './operation';

export function notYet(name: string, readOnly: boolean): Operation {
  return {
    name,
    readOnly,
    handle() {
      return Promise.reject(kmsError('UnsupportedOperationException', `${name} is not supported by this simulator yet.`));
    },
  };
}
