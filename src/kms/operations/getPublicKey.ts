/** GetPublicKey (§2.2) (issue 7; being written). */
import { notYet } from './notYet';

export const getPublicKey = notYet('GetPublicKey', true);
