// Errors across threads: a worker turns what a spec threw into a SerialError
// (code, message, hints, location), the coordinator turns it back into the
// same KlpError the one-thread search would have thrown. Anything that is not
// a KlpError is an internal error and stays one.
import { KlpError } from '../errors.ts';
import type { SerialError } from './protocol.ts';

export function toSerial(e: unknown): SerialError {
  if (e instanceof KlpError) return { code: e.code, message: e.message, hints: [...e.hints], location: e.location };
  const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
  return { code: undefined, message, hints: [], location: undefined };
}

export function fromSerial(e: SerialError): Error {
  if (e.code === undefined) return new Error(`internal error in a worker: ${e.message}`);
  return new KlpError(e.code, e.message, { hints: e.hints, ...(e.location !== undefined ? { location: e.location } : {}) });
}
