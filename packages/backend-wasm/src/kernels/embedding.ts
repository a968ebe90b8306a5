import { checkSizes, checkSpan, type KernelContext, runChunks } from "./context.js";

const MIN_PER_THREAD = 1 << 16;

/** Arguments of {@link embeddingGather}: table [vocab, dim], ids [rows] i32, out [rows, dim]. */
export interface EmbeddingGatherArgs {
  readonly table: number;
  readonly ids: number;
  readonly out: number;
  readonly rows: number;
  readonly dim: number;
  readonly vocab: number;
}

function checkIds(ctx: KernelContext, kernel: string, ids: number, rows: number, vocab: number): void {
  checkSpan(ctx, kernel, "ids", ids, rows * 4);
  const view = new Int32Array(ctx.memory.buffer, ids, rows);
  for (let r = 0; r < rows; r++) {
    const id = view[r]!;
    if (id < 0 || id >= vocab) {
      throw new Error(`backend-wasm ${kernel}: id ${id} at row ${r} is outside the table [0, ${vocab})`);
    }
  }
}

/**
 * Embedding lookup: `out[r, :] = table[ids[r], :]`.
 *
 * @example
 * rt.embeddingGather({ table: wte, ids: tokens, out: x, rows: B * T, dim: C, vocab: V });
 */
export function embeddingGather(ctx: KernelContext, args: EmbeddingGatherArgs): void {
  const { table, ids, out, rows, dim, vocab } = args;
  checkSizes("embeddingGather", { rows, dim, vocab });
  checkSpan(ctx, "embeddingGather", "table", table, vocab * dim * 4);
  checkSpan(ctx, "embeddingGather", "out", out, rows * dim * 4);
  checkIds(ctx, "embeddingGather", ids, rows, vocab);
  runChunks(ctx, "embeddingGather", rows, { align: 1, minPerThread: MIN_PER_THREAD, unitCost: dim }, [
    table,
    ids,
    out,
    dim,
  ]);
}

/** Arguments of {@link embeddingScatterAdd}: dout [rows, dim], ids [rows] i32, dtable [vocab, dim]. */
export interface EmbeddingScatterAddArgs {
  readonly dout: number;
  readonly ids: number;
  readonly dtable: number;
  readonly rows: number;
  readonly dim: number;
  readonly vocab: number;
}

/**
 * Embedding gradient: `dtable[ids[r], :] += dout[r, :]` (repeated ids add up). Threads split the
 * embedding columns, so no two threads touch the same element.
 *
 * @example
 * rt.embeddingScatterAdd({ dout: dx, ids: tokens, dtable: dWte, rows: B * T, dim: C, vocab: V });
 */
export function embeddingScatterAdd(ctx: KernelContext, args: EmbeddingScatterAddArgs): void {
  const { dout, ids, dtable, rows, dim, vocab } = args;
  checkSizes("embeddingScatterAdd", { rows, dim, vocab });
  checkSpan(ctx, "embeddingScatterAdd", "dout", dout, rows * dim * 4);
  checkSpan(ctx, "embeddingScatterAdd", "dtable", dtable, vocab * dim * 4);
  checkIds(ctx, "embeddingScatterAdd", ids, rows, vocab);
  if (rows === 0) return;
  runChunks(ctx, "embeddingScatterAdd", dim, { align: 16, minPerThread: MIN_PER_THREAD, unitCost: rows }, [
    dout,
    ids,
    dtable,
    dim,
    rows,
  ]);
}
