// The state codec's byte format (stateCodec.ts): one tag byte per value, then
// what the tag says follows (a varint id or size, the elements). The tags are
// part of no file format: encoded bytes live as long as the search that wrote
// them (the packed frontier, messages between searchers).
export const T_FALSE = 0;
export const T_TRUE = 1;
export const T_INT = 2;
export const T_FLOAT = 3;
export const T_STR = 4;
export const T_STR_INLINE = 5;
export const T_BIGINT = 6;
export const T_MODEL = 7;
export const T_LIST = 8;
export const T_SET = 9;
export const T_OSET = 10;
export const T_MAP = 11;
export const T_OMAP = 12;
export const T_RECORD = 13;
export const T_SET_HASHED = 14;
export const T_MAP_HASHED = 15;
/** A record of the codec's value table (src/engine/valueTable.ts), by id. */
export const T_SHARED = 16;
/** A record's field left at its default (stored as undefined): one byte, nothing to look up or compare. */
export const T_DEFAULT = 17;
/** What `read` returns for T_DEFAULT, which only a record's field holds. */
export const DEFAULT_FIELD = Symbol('default field');
/** Tags from here on are the integers 0 .. 255 - SMALL. */
export const SMALL = 32;
export const SMALL_MAX = 255 - SMALL;
