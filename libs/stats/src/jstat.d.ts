// jstat ships no types: only what libs/stats calls is declared. The package is CommonJS
// (module.exports = jStat), hence `export =`; `import jStat from 'jstat'` works with
// esModuleInterop under Node's ESM loader, tsx and ts-jest alike.
declare module 'jstat' {
  interface JStat {
    /** Regularised incomplete beta function I_x(a, b). */
    ibeta(x: number, a: number, b: number): number;
    centralF: {
      cdf(x: number, df1: number, df2: number): number;
      inv(p: number, df1: number, df2: number): number;
    };
    studentt: {
      cdf(x: number, dof: number): number;
      inv(p: number, dof: number): number;
    };
    /** The studentized range distribution (a port of R's ptukey and qtukey). */
    tukey: {
      cdf(q: number, nmeans: number, dof: number): number;
      inv(p: number, nmeans: number, dof: number): number;
    };
  }
  const jStat: JStat;
  export = jStat;
}
