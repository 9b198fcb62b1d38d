// The ApiError a call throws, for tests that read its Status; anything else fails the test.
import { ApiError } from '../../src/core/cluster/errors.js';

export function rejection(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an ApiError');
}
