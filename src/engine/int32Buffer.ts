// A growable Int32Array: the engine's searches collect ids, action indices
// and fingerprint halves by the million, and a plain number[] would cost 8 to
// 16 bytes an entry and GC work. Doubles when full; `done()` copies out the
// filled part.
export class Int32Buffer {
  data: Int32Array;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.data = new Int32Array(initialCapacity);
  }

  push(x: number): void {
    if (this.length === this.data.length) {
      const d = new Int32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = x;
  }

  /** The filled part, as a new array of its own. */
  done(): Int32Array {
    return this.data.slice(0, this.length);
  }
}
