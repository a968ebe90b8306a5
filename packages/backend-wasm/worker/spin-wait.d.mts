/** See spin-wait.mjs. */
export declare function spinWaiter(options: {
  readonly maxPolls: number;
  readonly maxMicros?: number;
  readonly minPolls?: number;
  readonly canBlock?: boolean;
}): (ctrl: Int32Array, at: number, value: number) => number;
