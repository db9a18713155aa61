/** GenerateMac and VerifyMac (§2.2) (issue 7; being written). */
import { notYet } from './notYet';

export const generateMac = notYet('GenerateMac', true);
export const verifyMac = notYet('VerifyMac', true);
