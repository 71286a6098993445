export { laoCaiThreeLevelUnits } from './lao-cai-three-level';
export { laoCaiTwoLevelUnits } from './lao-cai-two-level';
export * from './editions';
