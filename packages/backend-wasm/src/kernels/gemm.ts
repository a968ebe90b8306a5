import { checkSizes, checkSpan, type KernelContext } from "./context.js";

/**
 * Arguments of {@link gemm}: `C[b] = alpha * op(A[b]) · op(B[b]) (+ C[b] when accumulate)` for
 * b < batch, with op(A) of shape [m, k] and op(B) of shape [k, n]. Matrices are row-major f32;
 * addresses are byte offsets from `rt.alloc`; strides and leading dimensions count elements.
 */
export interface GemmArgs {
  /** Number of independent products (default 1). */
  readonly batch?: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly a: number;
  readonly b: number;
  readonly c: number;
  /** Use Aᵀ: A is stored [k, m]. */
  readonly transA?: boolean;
  /** Use Bᵀ: B is stored [n, k]. */
  readonly transB?: boolean;
  /** Row stride of A as stored (default: its column count, `transA ? m : k`). */
  readonly lda?: number;
  /** Row stride of B as stored (default `transB ? k : n`). */
  readonly ldb?: number;
  /** Row stride of C (default n). */
  readonly ldc?: number;
  /** Elements between consecutive A[b] (default m*k; 0 broadcasts one A to every b). */
  readonly strideA?: number;
  /** Elements between consecutive B[b] (default k*n; 0 broadcasts). */
  readonly strideB?: number;
  /** Elements between consecutive C[b] (default m*n). */
  readonly strideC?: number;
  /** Scale of the product (default 1). */
  readonly alpha?: number;
  /** Add into C (beta = 1) instead of overwriting it (beta = 0). */
  readonly accumulate?: boolean;
  /**
   * The caller guarantees A holds no subnormal float (the tensor backend's buffers never do), so the
   * kernel skips scanning an untransposed A for them. Default false: a block of A that holds one is
   * packed with subnormals flushed to 0, so such inputs cost no more than normal ones.
   */
  readonly inputsNormal?: boolean;
}

// Below this many flops a call stays on the calling thread: waking a worker costs ~5-50 µs, about
// as long as 1 MFLOP takes on one core.
const PARALLEL_MIN_FLOPS = 1 << 21;

/**
 * Batched, strided, optionally transposed f32 matrix product on the wasm SIMD micro-kernel.
 * Splits the work into chunks that the pool's threads claim dynamically: whole batch items when the
 * batch divides well, else column blocks of C (when m <= n) or row blocks of C.
 *
 * @example
 * rt.gemm({ m: 2, n: 3, k: 4, a, b, c }); // C[2x3] = A[2x4] · B[4x3]
 * rt.gemm({ batch: 12, m: 64, n: 64, k: 64, a: q, b: key, c: s, transB: true, alpha: 0.125 });
 */
export function gemm(ctx: KernelContext, args: GemmArgs): void {
  const { m, n, k } = args;
  const batch = args.batch ?? 1;
  const transA = args.transA ?? false;
  const transB = args.transB ?? false;
  const lda = args.lda ?? (transA ? m : k);
  const ldb = args.ldb ?? (transB ? k : n);
  const ldc = args.ldc ?? n;
  const strideA = args.strideA ?? m * k;
  const strideB = args.strideB ?? k * n;
  const strideC = args.strideC ?? m * n;
  const alpha = args.alpha ?? 1;
  const accumulate = args.accumulate ?? false;
  checkSizes("gemm", { batch, m, n, k, lda, ldb, ldc, strideA, strideB, strideC });
  if (batch === 0 || m === 0 || n === 0) return;
  const [rowsA, colsA] = transA ? [k, m] : [m, k];
  const [rowsB, colsB] = transB ? [n, k] : [k, n];
  if (lda < colsA || ldb < colsB || ldc < n) {
    throw new Error(
      `backend-wasm gemm: leading dimensions too small: lda=${lda} (needs >= ${colsA}), ` +
        `ldb=${ldb} (needs >= ${colsB}), ldc=${ldc} (needs >= ${n})`,
    );
  }
  const extent = (rows: number, cols: number, ld: number, stride: number) =>
    rows === 0 || cols === 0 ? 0 : ((batch - 1) * stride + (rows - 1) * ld + cols) * 4;
  if (k > 0) {
    checkSpan(ctx, "gemm", "A", args.a, extent(rowsA, colsA, lda, strideA));
    checkSpan(ctx, "gemm", "B", args.b, extent(rowsB, colsB, ldb, strideB));
  }
  checkSpan(ctx, "gemm", "C", args.c, extent(m, n, ldc, strideC));

  // Chunks are claimed dynamically (an atomic counter in wasm), so a thread that wakes late or
  // shares its core with another process takes fewer of them; ~4 chunks per thread bound the
  // imbalance. Within one matrix, each chunk packs its own slice of B, and every chunk that needs
  // all of A (column split) or all of B (row split) packs it again, so: column blocks when A is
  // read in place (not transposed) or is the smaller operand, row blocks otherwise, and only ~2
  // chunks per thread when a chunk re-packs a whole operand.
  const threads = ctx.pool.size;
  const flops = 2 * batch * m * n * k;
  const minColumns = ctx.forceParallel ? 8 : 64;
  const minRows = ctx.forceParallel ? 4 : 32;
  let mode = SPLIT_BATCH;
  let chunk = batch;
  if (threads > 1 && (flops >= PARALLEL_MIN_FLOPS || ctx.forceParallel)) {
    if (batch % threads === 0 || batch >= 4 * threads) {
      chunk = batch >= 4 * threads ? Math.floor(batch / (4 * threads)) : 1;
    } else if ((!transA && n >= 2 * minColumns) || (transA && m <= n)) {
      mode = SPLIT_COLUMNS;
      const target = (transA ? 2 : 4) * threads;
      chunk = roundUp(Math.max(minColumns, Math.ceil(n / target)), 8);
    } else {
      mode = SPLIT_ROWS;
      chunk = roundUp(Math.max(minRows, Math.ceil(m / (2 * threads))), 4);
    }
  }
  const extentOf = mode === SPLIT_BATCH ? batch : mode === SPLIT_COLUMNS ? n : m;
  const chunkCount = Math.ceil(extentOf / chunk);
  const counter = ctx.results + threads * 64;
  Atomics.store(new Int32Array(ctx.memory.buffer, counter, 1), 0, 0);
  const fixed = [
    counter,
    chunkCount,
    mode,
    chunk,
    batch,
    m,
    n,
    k,
    args.a,
    lda,
    strideA,
    +transA,
    args.b,
    ldb,
    strideB,
    +transB,
    args.c,
    ldc,
    strideC,
    alpha,
    +accumulate,
    +(args.inputsNormal ?? false),
  ];
  const shares: number[][] = [];
  for (let t = 0; t < Math.min(threads, chunkCount); t++) shares.push([...fixed, ctx.scratch[t]!]);
  ctx.pool.run("gemm", shares);
}

const SPLIT_BATCH = 0;
const SPLIT_COLUMNS = 1;
const SPLIT_ROWS = 2;

function roundUp(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}
