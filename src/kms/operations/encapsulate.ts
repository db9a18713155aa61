/** Encapsulate and Decapsulate (§2.2, ML-KEM) (issue 7; being written). */
import { notYet } from './notYet';

export const encapsulate = notYet('Encapsulate', true);
export const decapsulate = notYet('Decapsulate', true);
