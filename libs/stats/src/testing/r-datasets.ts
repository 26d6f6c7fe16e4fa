/**
 * Two small data sets that ship with R (package `datasets`), used as test fixtures
 * because R's and other packages' published results on them can be compared.
 */
import type { GroupValues } from '../group-types.js';

/** PlantGrowth: dried weight of plants, control and two treatments (Dobson 1983, Table 7.1). */
export const PLANT_GROWTH: readonly GroupValues[] = [
  { name: 'ctrl', values: [4.17, 5.58, 5.18, 6.11, 4.5, 4.61, 5.17, 4.53, 5.33, 5.14] },
  { name: 'trt1', values: [4.81, 4.17, 4.41, 3.59, 5.87, 3.83, 6.03, 4.89, 4.32, 4.69] },
  { name: 'trt2', values: [6.31, 5.12, 5.54, 5.5, 5.37, 5.29, 4.92, 6.15, 5.8, 5.26] },
];

/** InsectSprays: insects counted after six insecticides, 12 plots each (Beall 1942). */
export const INSECT_SPRAYS: readonly GroupValues[] = [
  { name: 'A', values: [10, 7, 20, 14, 14, 12, 10, 23, 17, 20, 14, 13] },
  { name: 'B', values: [11, 17, 21, 11, 16, 14, 17, 17, 19, 21, 7, 13] },
  { name: 'C', values: [0, 1, 7, 2, 3, 1, 2, 1, 3, 0, 1, 4] },
  { name: 'D', values: [3, 5, 12, 6, 4, 3, 5, 5, 5, 5, 2, 4] },
  { name: 'E', values: [3, 5, 3, 5, 3, 6, 1, 1, 3, 2, 6, 4] },
  { name: 'F', values: [11, 9, 15, 22, 15, 16, 13, 10, 26, 26, 24, 13] },
];
