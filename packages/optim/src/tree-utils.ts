import { scope, type Tensor, treeMap, treeZip } from "@scratchgrad/tensor";

/**
 * `treeZip` with every leaf computed in a scope of its own: only the returned tensor survives, so the
 * temporaries of an optimizer step (squares, products, lifted scalars) are freed leaf by leaf instead
 * of piling up to several copies of the model until the caller's scope ends.
 */
export const zipLeaves = <T>(
  trees: readonly [T, ...unknown[]],
  fn: (leaves: Tensor[], path: string) => Tensor,
): T => treeZip(trees, (leaves, path) => scope(() => fn(leaves, path)));

/** `zipLeaves` for a function of several outputs per leaf: one tree per output, each shaped like `trees[0]`. */
export const zipLeavesMany = <T>(
  trees: readonly [T, ...unknown[]],
  outputs: number,
  fn: (leaves: Tensor[], path: string) => readonly Tensor[],
): T[] => {
  const perLeaf: (readonly Tensor[])[] = [];
  treeZip(trees, (leaves, path) => {
    const results = scope(() => fn(leaves, path));
    perLeaf.push(results);
    return results[0]!;
  });
  return Array.from({ length: outputs }, (_, k) => {
    let i = 0;
    return treeMap(trees[0], () => perLeaf[i++]![k]!);
  });
};
