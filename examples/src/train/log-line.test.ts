import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hfLogLine, pythonFloat } from "./log-line.js";

describe("HF's console log line", () => {
  it.each([
    [2, "2.0"],
    [0.001, "0.001"],
    [1e-4, "0.0001"],
    [4.5e-5, "4.5e-05"],
    [1e-5, "1e-05"],
    [1.2345678e-7, "1.2345678e-07"],
    [123.25, "123.25"],
    [1e16, "1e+16"],
    [1234567890123456, "1234567890123456.0"],
    [-0.5, "-0.5"],
    [0, "0.0"],
  ])("pythonFloat(%f) is Python's repr %s", (x, repr) => {
    expect(pythonFloat(x)).toBe(repr);
  });

  it("pythonFloat reads back to the same number (Python's float() takes it as JavaScript's Number does)", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(Object.is(Number(pythonFloat(x)), x)).toBe(true);
      }),
    );
  });

  it("prints the Trainer's dict: loss to 4 decimals, grad norm and rate as they are, epoch to 2", () => {
    expect(
      hfLogLine({ step: 50, epoch: 0.12345, loss: 5.213371, grad_norm: 0.931234, learning_rate: 4.5e-5 }),
    ).toBe("{'loss': 5.2134, 'grad_norm': 0.931234, 'learning_rate': 4.5e-05, 'epoch': 0.12}");
    expect(hfLogLine({ step: 1, epoch: 1, loss: 3, learning_rate: 0.002 })).toBe(
      "{'loss': 3.0, 'learning_rate': 0.002, 'epoch': 1.0}",
    );
  });
});
