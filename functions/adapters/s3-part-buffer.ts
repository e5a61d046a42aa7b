/** Collects streamed chunks into one part of a fixed size (allocated when the first byte arrives). */
export class PartBuffer {
  private bytes: Uint8Array | undefined
  private filled = 0

  constructor(private readonly capacity: number) {}

  /** Copy as much of `chunk` as fits; returns the number of bytes taken. */
  fill(chunk: Uint8Array): number {
    const n = Math.min(chunk.length, this.capacity - this.filled)
    this.bytes ??= new Uint8Array(this.capacity)
    this.bytes.set(chunk.subarray(0, n), this.filled)
    this.filled += n
    return n
  }

  /** True when the part holds `capacity` bytes. */
  full(): boolean {
    return this.filled === this.capacity
  }

  /** Bytes collected so far. */
  size(): number {
    return this.filled
  }

  /** The collected bytes; the next part gets a new array (the SDK may still hold this one). */
  take(): Uint8Array {
    const part = this.bytes?.subarray(0, this.filled) ?? new Uint8Array(0)
    this.bytes = undefined
    this.filled = 0
    return part
  }
}
