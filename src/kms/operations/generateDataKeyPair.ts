/** GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext (§2.2) (issue 7; being written). */
import { notYet } from './notYet';

export const generateDataKeyPair = notYet('GenerateDataKeyPair', true);
export const generateDataKeyPairWithoutPlaintext = notYet('GenerateDataKeyPairWithoutPlaintext', true);
