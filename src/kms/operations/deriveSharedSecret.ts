/** DeriveSharedSecret (§2.2) (issue 7; being written). */
import { notYet } from './notYet';

export const deriveSharedSecret = notYet('DeriveSharedSecret', true);
