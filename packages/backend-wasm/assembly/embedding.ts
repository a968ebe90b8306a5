// Embedding lookup and its gradient. ids are i32 rows of a [vocab, dim] table; the JS side checks
import { flush1, flush4 } from "./simd";
// the ids are in range before calling.

/** out[r, :] = table[ids[r], :] for r in [rowStart, rowEnd). */
export function embeddingGather(table: usize, ids: usize, out: usize, dim: i32, rowStart: i32, rowEnd: i32): void {
  const bytes = <usize>dim << 2;
  for (let r = rowStart; r < rowEnd; r++) {
    const id = load<i32>(ids + (<usize>r << 2));
    memory.copy(out + <usize>r * bytes, table + <usize>id * bytes, bytes);
  }
}

/**
 * dtable[ids[r], c] += dout[r, c] for every r < rows and c in [colStart, colEnd). Threads split the
 * columns, not the rows, so two threads never add into the same element even when ids repeat.
 */
export function embeddingScatterAdd(
  dout: usize,
  ids: usize,
  dtable: usize,
  dim: i32,
  rows: i32,
  colStart: i32,
  colEnd: i32,
): void {
  const end4 = colStart + ((colEnd - colStart) & ~3);
  for (let r = 0; r < rows; r++) {
    const id = load<i32>(ids + (<usize>r << 2));
    const src = dout + ((<usize>r * <usize>dim) << 2);
    const dst = dtable + ((<usize>id * <usize>dim) << 2);
    let c = colStart;
    for (; c < end4; c += 4) {
      const o = <usize>c << 2;
      v128.store(dst + o, flush4(f32x4.add(v128.load(dst + o), v128.load(src + o))));
    }
    for (; c < colEnd; c++) {
      const o = <usize>c << 2;
      store<f32>(dst + o, flush1(load<f32>(dst + o) + load<f32>(src + o)));
    }
  }
}
