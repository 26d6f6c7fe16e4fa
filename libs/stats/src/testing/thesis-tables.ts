/**
 * The seed thesis's published figures (shared/seeds/webrtc-k8s-vs-swarm-thesis.txt),
 * copied digit for digit: tables 5.1-5.6 (mean, sd, "95 % CI" per group, n = 30 each),
 * tables 5.9 and 5.10 (F, p, F critical) and appendix 9.2 (means, |differences|, MSw,
 * standard error). Tables 5.7 and 5.8 (packet loss) are all zeros and were not analysed.
 */
import type { GroupSummary } from '../group-types.js';

export interface ThesisCase {
  readonly label: string;
  /** The table the means and sds come from. */
  readonly table: string;
  /** No orchestration, Kubernetes, Docker Swarm, as in the tables. */
  readonly groups: readonly GroupSummary[];
  /** The tables' "95 % Confidence Interval" column: ± this around each mean. */
  readonly ciHalfWidths: readonly number[];
  /** Table 5.9 (one-to-one) or 5.10 (one-to-many). */
  readonly anova: { readonly F: number; readonly p: number; readonly fCritical: number };
  /** Appendix 9.2. */
  readonly appendix: {
    readonly means: readonly number[];
    /** ABS(AVG(A)-AVG(B)) for (none, k8s), (none, swarm), (k8s, swarm). */
    readonly absDiffs: readonly number[];
    readonly msWithin: number;
    readonly standardError: number;
  };
}

export const THESIS_N = 30;
export const THESIS_GROUP_NAMES = ['No orchestration', 'Kubernetes', 'Docker Swarm'] as const;

function groups(means: readonly number[], sds: readonly number[]): GroupSummary[] {
  return THESIS_GROUP_NAMES.map((name, i) => ({ name, n: THESIS_N, mean: means[i], sd: sds[i] }));
}

export const THESIS_CASES: readonly ThesisCase[] = [
  {
    label: 'CPU %, one-to-one, 2 users',
    table: 'Table 5.1',
    groups: groups([7.946222, 0.082474915, 7.815679594], [0.56004, 0.006368902, 0.414535612]),
    ciHalfWidths: [0.200407641, 0.002279082, 0.148339663],
    anova: { F: 3758.551797, p: 3.49541e-85, fCritical: 3.101295757 },
    appendix: {
      means: [7.946222, 0.082474915, 7.815679594],
      absDiffs: [7.863747085, 0.130542406, 7.733204679],
      msWithin: 0.161841609,
      standardError: 0.103872232,
    },
  },
  {
    label: 'CPU %, one-to-one, 14 users',
    table: 'Table 5.1',
    groups: groups([13.515939, 0.214091979, 14.4671355], [4.9457448, 0.18734926, 3.449708604]),
    ciHalfWidths: [1.769812, 0.067042072, 1.23446237],
    anova: { F: 157.0200148, p: 1.35027e-29, fCritical: 3.101295757 },
    appendix: {
      means: [13.515939, 0.214091979, 14.4671355],
      absDiffs: [13.30184702, 0.951196499, 14.25304352],
      msWithin: 12.13199346,
      standardError: 0.899332844,
    },
  },
  {
    label: 'CPU %, one-to-many, 2 users',
    table: 'Table 5.2',
    groups: groups([4.253111, 0.102357106, 5.681288339], [0.810122, 0.036973434, 0.321255681]),
    ciHalfWidths: [0.289898312, 0.013230773, 0.114959869],
    anova: { F: 993.4607824, p: 1.22637e-60, fCritical: 3.101295757 },
    appendix: {
      means: [4.253111333, 0.102357106, 5.681288339],
      absDiffs: [4.150754227, 1.428177006, 5.578931233],
      msWithin: 0.253623116,
      standardError: 0.130031564,
    },
  },
  {
    label: 'CPU %, one-to-many, 8 users',
    table: 'Table 5.2',
    groups: groups([6.359888, 0.187665375, 7.026439241], [1.314303, 0.086581762, 1.596696004]),
    ciHalfWidths: [0.470317127, 0.030982885, 0.571370327],
    anova: { F: 298.6798621, p: 1.08197e-39, fCritical: 3.101295757 },
    appendix: {
      means: [6.359888333, 0.187665375, 7.026439241],
      absDiffs: [6.172222958, 0.666550907, 6.838773866],
      msWithin: 1.428108573,
      standardError: 0.308556702,
    },
  },
  {
    label: 'memory %, one-to-one, 2 users',
    table: 'Table 5.3',
    groups: groups([0.454889, 31.43479761, 12.35324726], [0.049756, 19.65680567, 15.19445886]),
    ciHalfWidths: [0.017804949, 7.034097572, 5.437267272],
    anova: { F: 35.61112632, p: 5.02283e-12, fCritical: 3.101295757 },
    appendix: {
      means: [0.4548889, 31.43479761, 12.35324726],
      absDiffs: [30.97990871, 11.89835836, 19.08155036],
      msWithin: 205.7546883,
      standardError: 3.703644046,
    },
  },
  {
    label: 'memory %, one-to-one, 14 users',
    table: 'Table 5.3',
    groups: groups([0.5723889, 12.6988312, 3.086505411], [0.1466998, 22.58218565, 4.817691193]),
    ciHalfWidths: [0.052495849, 8.080931352, 1.723988653],
    anova: { F: 6.914130333, p: 0.001634024, fCritical: 3.101295757 },
    appendix: {
      means: [0.5723889, 12.6988312, 3.086505411],
      absDiffs: [12.1264423, 2.514116511, 9.612325786],
      msWithin: 177.728926,
      standardError: 3.442178825,
    },
  },
  {
    label: 'memory %, one-to-many, 2 users',
    table: 'Table 5.4',
    groups: groups([0.401778, 4.714091731, 1.595003569], [0.020412, 0.883349639, 2.666111442]),
    ciHalfWidths: [0.007304387, 0.316102609, 0.954055727],
    anova: { F: 56.56425593, p: 1.82872e-16, fCritical: 3.101295757 },
    appendix: {
      means: [0.401777767, 4.714091731, 1.595003569],
      absDiffs: [4.312313964, 1.193225802, 3.119088162],
      msWithin: 2.629624487,
      standardError: 0.418698339,
    },
  },
  {
    label: 'memory %, one-to-many, 8 users',
    table: 'Table 5.4',
    groups: groups([0.4505, 1.789574463, 3.492656176], [0.051251, 2.17027701, 3.65094386]),
    ciHalfWidths: [0.018339901, 0.776623654, 1.306473481],
    anova: { F: 11.59646587, p: 3.43084e-5, fCritical: 3.101295757 },
    appendix: {
      means: [0.4505, 1.789574463, 3.492656176],
      absDiffs: [1.339074463, 3.042156176, 1.703081713],
      msWithin: 6.014040007,
      standardError: 0.633195073,
    },
  },
  {
    label: 'network Kb/s, one-to-one, 2 users',
    table: 'Table 5.5',
    groups: groups([293.7, 0.008701794, 295.0498207], [56.08193, 0.00715846, 50.35272789]),
    ciHalfWidths: [20.06866055, 0.002561622, 18.01849227],
    anova: { F: 457.6266736, p: 6.70758e-47, fCritical: 3.101295757 },
    appendix: {
      means: [293.7, 0.008701794, 295.0498207],
      absDiffs: [293.6912982, 1.349820657, 295.0411189],
      msWithin: 1893.526672,
      standardError: 11.23543998,
    },
  },
  {
    label: 'network Kb/s, one-to-one, 14 users',
    table: 'Table 5.5',
    groups: groups([712.4603, 0.517640768, 639.9850089], [203.7262, 1.347383909, 193.0311291]),
    ciHalfWidths: [72.902474, 0.482155139, 69.07530242],
    anova: { F: 175.3966835, p: 2.97768e-31, fCritical: 3.101295757 },
    appendix: {
      means: [712.4603, 0.517640768, 639.9850089],
      absDiffs: [711.9426592, 72.47529107, 639.4673682],
      msWithin: 26255.72829,
      standardError: 41.83756549,
    },
  },
  {
    label: 'network Kb/s, one-to-many, 2 users',
    table: 'Table 5.6',
    groups: groups([148.6333, 0.047146025, 153.6182747], [18.45682, 0.237746737, 17.78069162]),
    ciHalfWidths: [6.604686454, 0.085076577, 6.36273878],
    anova: { F: 1043.294233, p: 1.59175e-61, fCritical: 3.101295757 },
    appendix: {
      means: [148.6333333, 0.047146025, 153.6182747],
      absDiffs: [148.5861873, 4.984941352, 153.5711287],
      msWithin: 218.9545136,
      standardError: 3.820597803,
    },
  },
  {
    label: 'network Kb/s, one-to-many, 8 users',
    table: 'Table 5.6',
    groups: groups([343.5, 0.19392788, 340.3452479], [156.2981, 0.438252347, 143.8619414]),
    ciHalfWidths: [55.93054549, 0.156826588, 51.48033458],
    // Table 5.10's last row is printed with fewer digits than the others.
    anova: { F: 77.64072, p: 4.48e-20, fCritical: 3.101296 },
    appendix: {
      means: [343.5, 0.19392788, 340.3452479],
      absDiffs: [343.3060721, 3.154752124, 340.15132],
      msWithin: 15041.84549,
      standardError: 31.6668549,
    },
  },
];
