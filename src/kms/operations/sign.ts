/** Sign and Verify (§2.2) (issue 7; being written). */
import { notYet } from './notYet';

export const sign = notYet('Sign', true);
export const verify = notYet('Verify', true);
