/**
 * Errors thrown by math code on programmer mistakes. They say what went wrong, with the operation and
 * both shapes involved, so the fix is obvious from the message alone.
 */

/** A shape rule rejected its inputs, e.g. `add` of `[2, 3]` and `[4]`. */
export class ShapeError extends Error {
  override readonly name = "ShapeError";
  constructor(
    readonly op: string,
    message: string,
  ) {
    super(`${op}: ${message}`);
  }
}

/** An operation received a dtype it does not accept, e.g. `exp` of an `int32` tensor. */
export class DTypeError extends Error {
  override readonly name = "DTypeError";
  constructor(
    readonly op: string,
    message: string,
  ) {
    super(`${op}: ${message}`);
  }
}

/** A tensor was used after its buffer was released (see `scope` and `dispose`). */
export class DisposedTensorError extends Error {
  override readonly name = "DisposedTensorError";
  constructor(op: string, shape: readonly number[]) {
    super(
      `${op}: tensor of shape [${shape.join(", ")}] was already disposed. ` +
        "Return it from the enclosing scope(...) or call keep(t) to keep it alive.",
    );
  }
}

/** Formats a shape the way every error message prints one: `[2, 3]`. */
export const showShape = (shape: readonly number[]): string => `[${shape.join(", ")}]`;
