import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { column, fromColumns, fromRows, row, toRows } from "./dataset.js";
import { mapSplits } from "./datasetDict.js";
import { filter, map, mapBatched, select, shuffle } from "./ops.js";
import { formatTable, showRandomElements } from "./showRandomElements.js";

const rowsArb = fc.array(fc.record({ text: fc.string(), n: fc.integer() }), { maxLength: 60 });

describe("Dataset construction", () => {
  it("round-trips rows through columns", () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        expect(toRows(fromRows(rows, ["text", "n"]))).toEqual(rows);
      }),
    );
  });

  it("rejects columns of different lengths, naming both", () => {
    expect(() => fromColumns({ a: [1, 2], b: [1] })).toThrow(/"b" has 1 rows but "a" has 2/);
  });

  it("names the missing column and the available ones", () => {
    expect(() => column(fromColumns({ a: [1] }), "b" as never)).toThrow(/no column "b".*\["a"\]/);
    expect(() => row(fromColumns({ a: [1] }), 1)).toThrow(/outside 0..0/);
  });

  it("freezes its storage and copies its input", () => {
    const input = { a: [1, 2] };
    const ds = fromColumns(input);
    input.a.push(3);
    expect(ds.numRows).toBe(2);
    expect(Object.isFrozen(ds.columns.a)).toBe(true);
    expect(() => (ds.columns.a as number[]).push(4)).toThrow();
  });
});

describe("Dataset operations never change their input", () => {
  const ops = {
    map: map((r: { text: string; n: number }) => ({ n: r.n + 1, len: r.text.length })),
    mapBatched: mapBatched((b: { text: readonly string[] }) => ({ t: b.text.map((t) => t + t) }), {
      batchSize: 3,
    }),
    filter: filter((r: { n: number }) => r.n % 2 === 0),
    select: select([0, 0]),
    shuffle: shuffle(7),
  };
  for (const [name, op] of Object.entries(ops)) {
    it(name, () => {
      fc.assert(
        fc.property(rowsArb, (rows) => {
          const ds = fromRows(rows, ["text", "n"]);
          const before = structuredClone(toRows(ds));
          try {
            (op as (d: typeof ds) => unknown)(ds);
          } catch {
            // select([0, 0]) on an empty dataset throws; immutability must hold either way
          }
          expect(toRows(ds)).toEqual(before);
        }),
        { numRuns: 30 },
      );
    });
  }
});

describe("mapBatched (HF batched map semantics)", () => {
  it("calls fn on consecutive batches of batchSize rows", () => {
    const starts: number[] = [];
    const sizes: number[] = [];
    mapBatched(
      (b: { n: readonly number[] }, start) => {
        starts.push(start);
        sizes.push(b.n.length);
        return { n: b.n };
      },
      { batchSize: 4 },
    )(fromColumns({ n: [...Array(10).keys()] }));
    expect(starts).toEqual([0, 4, 8]);
    expect(sizes).toEqual([4, 4, 2]);
  });

  it("merges outputs over inputs and removes listed columns", () => {
    const ds = fromRows([
      { a: 1, b: "x" },
      { a: 2, b: "y" },
    ]);
    const out = mapBatched(
      (b: { a: readonly number[]; b: readonly string[] }) => ({ a: b.a.map((v) => v * 10), c: b.a }),
      { removeColumns: ["b"] },
    )(ds);
    expect(toRows(out)).toEqual([
      { a: 10, c: 1 },
      { a: 20, c: 2 },
    ]);
  });

  it("changing the row count while keeping input columns is an error that says how to fix it", () => {
    const ds = fromRows([{ a: 1, b: "x" }]);
    expect(() => mapBatched((b: { a: readonly number[] }) => ({ a: [...b.a, ...b.a] }))(ds)).toThrow(
      /removeColumns/,
    );
  });

  it("batchSize 0 means one batch", () => {
    let calls = 0;
    mapBatched(
      (b: { a: readonly number[] }) => {
        calls++;
        return { a: b.a };
      },
      { batchSize: 0 },
    )(fromColumns({ a: [1, 2, 3] }));
    expect(calls).toBe(1);
  });
});

describe("filter / select / shuffle", () => {
  it("filter keeps order and matches Array.filter", () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const pred = (r: { n: number }) => r.n > 0;
        expect(toRows(filter(pred)(fromRows(rows, ["text", "n"])))).toEqual(rows.filter(pred));
      }),
    );
  });

  it("select rejects out-of-range indices", () => {
    expect(() => select([3])(fromColumns({ a: [1] }))).toThrow(/index 3 is outside 0..0/);
  });

  it("shuffle is a permutation fixed by the seed", () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { maxLength: 50 }), fc.integer(), (values, seed) => {
        const ds = fromColumns({ v: values });
        const a = column(shuffle(seed)(ds), "v");
        expect(column(shuffle(seed)(ds), "v")).toEqual(a);
        expect([...a].sort()).toEqual([...values].sort());
      }),
    );
  });
});

describe("DatasetDict and showRandomElements", () => {
  it("mapSplits applies a transform to every split", () => {
    const dict = { train: fromColumns({ a: [1, 2] }), validation: fromColumns({ a: [3] }) };
    const out = mapSplits(select([0]))(dict);
    expect(out.train.numRows + out.validation.numRows).toBe(2);
  });

  it("prints n distinct rows labelled by index, the same for the same seed", () => {
    const ds = fromColumns({ text: Array.from({ length: 20 }, (_, i) => `line ${i}\n`) });
    const printed: string[] = [];
    const table = showRandomElements(ds, 5, 3, (t) => printed.push(t));
    expect(printed).toEqual([table]);
    expect(showRandomElements(ds, 5, 3, () => {})).toBe(table);
    const lines = table.split("\n");
    expect(lines).toHaveLength(7);
    expect(lines[0]).toMatch(/\| text$/);
    const picked = lines.slice(2).map((l) => Number(l.split(" | ")[0]));
    expect(new Set(picked).size).toBe(5);
    for (const [j, i] of picked.entries()) expect(lines[j + 2]).toContain(`line ${i}\\n`);
  });

  it("refuses to pick more rows than exist", () => {
    expect(() => showRandomElements(fromColumns({ a: [1] }), 2, 0, () => {})).toThrow(/at most 1/);
  });

  it("formatTable cuts long cells and prints arrays", () => {
    const t = formatTable(fromRows([{ ids: Int32Array.of(1, 2), text: "x".repeat(100) }]), { maxWidth: 10 });
    expect(t).toContain("[1, 2]");
    expect(t).toContain(`${"x".repeat(9)}…`);
  });
});
