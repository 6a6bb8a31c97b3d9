/**
 * Event ids: 26 characters of Crockford base32, ULID layout (48-bit millisecond time, then 80
 * random bits), so sorting ids as strings sorts events by time. Within a process ids are strictly
 * increasing even when the clock stalls or steps back; across processes the appender passes the
 * ledger's last id as a floor (it holds the lock), which extends the same order to the file.
 * When an id has to be bumped past a floor it moves by a random amount, not by one, so two
 * processes bumping past the same floor still do not collide.
 */
import { uniqueBytes } from '../model/random.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ID_LENGTH = 26;
const TIME_LENGTH = 10;
const MAX_TIME = 2 ** 48 - 1;
const ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

let last = '';

/** True for ids this module produces (other strings are still valid ids in a ledger, just not time-ordered). */
export function isEventId(s: string): boolean {
  return ID_PATTERN.test(s);
}

/** A new id for an event at `now`, greater than every id this process made before and than `after` (if it is one of ours). */
export function newEventId(now: Date, after?: string): string {
  const t = now.getTime();
  if (!Number.isInteger(t) || t < 0 || t > MAX_TIME) throw new RangeError(`cannot make an event id for time ${String(now)}`);
  let id = encodeTime(t) + encodeRandom(uniqueBytes(10));
  let floor = last;
  if (after !== undefined && isEventId(after) && after > floor) floor = after;
  if (floor !== '' && id <= floor) id = bump(floor);
  last = id;
  return id;
}

/** The millisecond time encoded in an id, or null if it is not one of ours. */
export function eventIdTime(id: string): number | null {
  if (!isEventId(id)) return null;
  let t = 0;
  for (let i = 0; i < TIME_LENGTH; i++) t = t * 32 + ALPHABET.indexOf(id[i]!);
  return t;
}

function encodeTime(t: number): string {
  let out = '';
  for (let i = 0; i < TIME_LENGTH; i++) {
    out = ALPHABET[t % 32]! + out;
    t = Math.floor(t / 32);
  }
  return out;
}

function encodeRandom(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return encodeBig(n, ID_LENGTH - TIME_LENGTH);
}

function encodeBig(n: bigint, width: number): string {
  let out = '';
  for (let i = 0; i < width; i++) {
    out = ALPHABET[Number(n & 31n)]! + out;
    n >>= 5n;
  }
  return out;
}

/** `floor` plus a random step in [1, 2^32]; a carry out of the random part moves the time by 1 ms. */
function bump(floor: string): string {
  let n = 0n;
  for (const c of floor) n = n * 32n + BigInt(ALPHABET.indexOf(c));
  const step = BigInt(new DataView(uniqueBytes(4).buffer).getUint32(0)) + 1n;
  return encodeBig(n + step, ID_LENGTH);
}
