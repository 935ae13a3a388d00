import { gfInv, gfMul, gfPow } from './galois.js';

/** A dense matrix over GF(2^8), row-major. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Uint8Array;
}

export function matrix(rows: number, cols: number, data = new Uint8Array(rows * cols)): Matrix {
  return { rows, cols, data };
}

/** V[r][c] = r^c: any k of its rows are linearly independent while rows <= 256. */
export function vandermonde(rows: number, cols: number): Matrix {
  const m = matrix(rows, cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) m.data[r * cols + c] = gfPow(r, c);
  }
  return m;
}

export function multiply(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.rows) throw new RangeError(`cannot multiply ${a.rows}x${a.cols} by ${b.rows}x${b.cols}`);
  const out = matrix(a.rows, b.cols);
  for (let r = 0; r < a.rows; r++) {
    for (let i = 0; i < a.cols; i++) {
      const x = a.data[r * a.cols + i]!;
      if (x === 0) continue;
      for (let c = 0; c < b.cols; c++) {
        out.data[r * b.cols + c]! ^= gfMul(x, b.data[i * b.cols + c]!);
      }
    }
  }
  return out;
}

/** The matrix made of the given rows of `m`, in that order. */
export function selectRows(m: Matrix, rows: readonly number[]): Matrix {
  const out = matrix(rows.length, m.cols);
  rows.forEach((r, i) => out.data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols));
  return out;
}

/** Gauss-Jordan inversion. Throws RangeError for a singular matrix. */
export function invert(m: Matrix): Matrix {
  if (m.rows !== m.cols) throw new RangeError('only square matrices have inverses');
  const n = m.rows;
  const a = m.data.slice();
  const inv = matrix(n, n);
  for (let i = 0; i < n; i++) inv.data[i * n + i] = 1;
  const swapRows = (d: Uint8Array, x: number, y: number): void => {
    const tmp = d.slice(x * n, (x + 1) * n);
    d.copyWithin(x * n, y * n, (y + 1) * n);
    d.set(tmp, y * n);
  };
  for (let col = 0; col < n; col++) {
    let pivot = col;
    while (pivot < n && a[pivot * n + col] === 0) pivot++;
    if (pivot === n) throw new RangeError('matrix is singular');
    if (pivot !== col) {
      swapRows(a, pivot, col);
      swapRows(inv.data, pivot, col);
    }
    const scale = gfInv(a[col * n + col]!);
    for (let c = 0; c < n; c++) {
      a[col * n + c] = gfMul(a[col * n + c]!, scale);
      inv.data[col * n + c] = gfMul(inv.data[col * n + c]!, scale);
    }
    for (let r = 0; r < n; r++) {
      const f = r === col ? 0 : a[r * n + col]!;
      if (f === 0) continue;
      for (let c = 0; c < n; c++) {
        a[r * n + c]! ^= gfMul(f, a[col * n + c]!);
        inv.data[r * n + c]! ^= gfMul(f, inv.data[col * n + c]!);
      }
    }
  }
  return inv;
}

const codingMatrices = new Map<string, Matrix>();

/**
 * The (k+m) x k systematic coding matrix: Vandermonde((k+m) x k) times the inverse of its top
 * k x k square, so the top k rows are the identity and rows k.. give the parity.
 */
export function codingMatrix(k: number, m: number): Matrix {
  const key = `${k}/${m}`;
  let cm = codingMatrices.get(key);
  if (!cm) {
    const v = vandermonde(k + m, k);
    const top = selectRows(v, Array.from({ length: k }, (_, i) => i));
    cm = multiply(v, invert(top));
    codingMatrices.set(key, cm);
  }
  return cm;
}
