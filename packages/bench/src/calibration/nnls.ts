/**
 * Non-negative least squares and its robust variant: the solvers calibration fits its coefficients with.
 * Pure.
 */

/**
 * Non-negative least squares min ‖Ax − b‖, x ≥ 0 (Lawson & Hanson, Solving Least Squares Problems,
 * 1974, ch. 23, algorithm NNLS).
 */
export function nnls(A: number[][], b: number[], maxIter = 200, weights?: readonly number[]): number[] {
  const m = A.length;
  const n = A[0]?.length ?? 0;
  // Everything below needs only AᵀWA and AᵀWb (n × n, n; W = diag(weights), default I): form them once.
  const AtA = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const Atb = new Array<number>(n).fill(0);
  let maxA = 1e-300;
  let maxB = 1e-300;
  for (let i = 0; i < m; i++) {
    const row = A[i];
    const w = weights ? weights[i] : 1;
    const sw = Math.sqrt(w);
    maxB = Math.max(maxB, Math.abs(b[i]) * sw);
    for (let j = 0; j < n; j++) {
      const a = row[j];
      if (a === 0) continue;
      maxA = Math.max(maxA, Math.abs(a) * sw);
      const wa = w * a;
      Atb[j] += wa * b[i];
      for (let k = j; k < n; k++) AtA[j][k] += wa * row[k];
    }
  }
  for (let j = 0; j < n; j++) for (let k = 0; k < j; k++) AtA[j][k] = AtA[k][j];
  const x = new Array<number>(n).fill(0);
  const passive = new Array<boolean>(n).fill(false);
  // Gradient of ½‖Ax − b‖² with the sign flipped: Aᵀ(b − Ax) = Aᵀb − AᵀA x.
  const gradient = () => Atb.map((v, j) => v - AtA[j].reduce((s, a, k) => s + a * x[k], 0));
  const solvePassive = (): number[] => {
    const idx = passive.flatMap((p, j) => (p ? [j] : []));
    const z = new Array<number>(n).fill(0);
    if (idx.length === 0) return z;
    // Normal equations on the passive columns, solved by Gaussian elimination with partial pivoting.
    const k = idx.length;
    const M = idx.map((j1) => idx.map((j2) => AtA[j1][j2]));
    const v = idx.map((j) => Atb[j]);
    for (let c = 0; c < k; c++) {
      let p = c;
      for (let r = c + 1; r < k; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
      [M[c], M[p]] = [M[p], M[c]];
      [v[c], v[p]] = [v[p], v[c]];
      const piv = M[c][c];
      if (Math.abs(piv) < 1e-300) continue;
      for (let r = c + 1; r < k; r++) {
        const f = M[r][c] / piv;
        for (let cc = c; cc < k; cc++) M[r][cc] -= f * M[c][cc];
        v[r] -= f * v[c];
      }
    }
    const sol = new Array<number>(k).fill(0);
    for (let r = k - 1; r >= 0; r--) {
      let s = v[r];
      for (let cc = r + 1; cc < k; cc++) s -= M[r][cc] * sol[cc];
      sol[r] = Math.abs(M[r][r]) < 1e-300 ? 0 : s / M[r][r];
    }
    idx.forEach((j, t) => (z[j] = sol[t]));
    return z;
  };
  const scale = maxA * maxB;
  const tol = 1e-12 * scale * m;
  for (let iter = 0; iter < maxIter; iter++) {
    const w = gradient();
    let best = -1;
    for (let j = 0; j < n; j++) if (!passive[j] && w[j] > tol && (best < 0 || w[j] > w[best])) best = j;
    if (best < 0) break;
    passive[best] = true;
    for (let inner = 0; inner < maxIter; inner++) {
      const z = solvePassive();
      if (passive.every((p, j) => !p || z[j] > 0)) {
        for (let j = 0; j < n; j++) x[j] = passive[j] ? z[j] : 0;
        break;
      }
      let alpha = Infinity;
      for (let j = 0; j < n; j++) if (passive[j] && z[j] <= 0) alpha = Math.min(alpha, x[j] / (x[j] - z[j]));
      for (let j = 0; j < n; j++) {
        x[j] += alpha * (z[j] - x[j]);
        if (passive[j] && x[j] <= 1e-300) {
          passive[j] = false;
          x[j] = 0;
        }
      }
    }
  }
  return x;
}

/**
 * Iteratively reweighted NNLS towards least absolute error: each pass weighs every equation by
 * 1/max(|residual|, δ) (rows scaled by the square root), so that a few runs disturbed by other programs
 * do not pull the fit away from the rest (L1 regression by IRLS, Schlossmacher 1973; δ = 2% keeps
 * well-fitted runs from dominating). Four passes: more changed the leave-one-out error by < 0.3 points.
 */
export function robustNnls(A: number[][], b: number[], passes = 4, delta = 0.02): number[] {
  let x = nnls(A, b);
  const w = new Array<number>(A.length);
  for (let p = 0; p < passes; p++) {
    for (let i = 0; i < A.length; i++) {
      const row = A[i];
      let r = -b[i];
      for (let j = 0; j < row.length; j++) r += row[j] * x[j];
      w[i] = 1 / Math.max(Math.abs(r), delta);
    }
    x = nnls(A, b, 200, w);
  }
  return x;
}
