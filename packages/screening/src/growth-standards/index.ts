export { lmsAt } from './lms-table';
export type { Lms, LmsIndicator, LmsRow, LmsTable, Sex } from './lms-table';
export { weightForAgeBoys, weightForAgeGirls } from './weight-for-age';
export { lengthHeightForAgeBoys, lengthHeightForAgeGirls } from './length-height-for-age';
export { weightForLengthBoys, weightForLengthGirls } from './weight-for-length';
export { weightForHeightBoys, weightForHeightGirls } from './weight-for-height';
