import type { ColumnWriter } from './column-writer.js'
import type { MessageSchema, SchemaNode } from './schema.js'

/**
 * Dremel shredding: turns one nested row object into values with repetition and definition levels
 * for every leaf column. Compiled once per schema into closures, so a row costs only the walk.
 */

type Write = (value: unknown, rep: number, def: number) => void
type WriteNull = (rep: number, def: number) => void

interface Compiled {
  write: Write
  writeNull: WriteNull
}

/** Build the row writer for `schema`; `columns` are the leaf writers in schema (leaf) order. */
export function compileShredder(schema: MessageSchema, columns: ColumnWriter[]): (row: unknown) => void {
  let next = 0
  const compile = (node: SchemaNode, parentRep: number): Compiled => {
    const rep = parentRep + (node.repetition === 'REPEATED' ? 1 : 0)
    if (!node.children) {
      const col = columns[next++]!
      switch (node.repetition) {
        case 'REQUIRED':
          return { write: (v, r, d) => col.push(v, r, d), writeNull: (r, d) => col.pushNull(r, d) }
        case 'OPTIONAL':
          return {
            write: (v, r, d) => (v === null || v === undefined ? col.pushNull(r, d) : col.push(v, r, d + 1)),
            writeNull: (r, d) => col.pushNull(r, d),
          }
        case 'REPEATED':
          return {
            write: (v, r, d) => {
              const arr = v as unknown[] | undefined
              if (!arr || arr.length === 0) return col.pushNull(r, d)
              col.push(arr[0], r, d + 1)
              for (let i = 1; i < arr.length; i++) col.push(arr[i], rep, d + 1)
            },
            writeNull: (r, d) => col.pushNull(r, d),
          }
      }
    }
    const kids = node.children.map((c) => ({ get: c.get ?? getter(c.name), ...compile(c, rep) }))
    const writeNull: WriteNull = (r, d) => {
      for (const k of kids) k.writeNull(r, d)
    }
    const writeChildren = (v: unknown, r: number, d: number): void => {
      for (const k of kids) k.write(k.get(v), r, d)
    }
    switch (node.repetition) {
      case 'REQUIRED':
        return { write: writeChildren, writeNull }
      case 'OPTIONAL':
        return { write: (v, r, d) => (v === null || v === undefined ? writeNull(r, d) : writeChildren(v, r, d + 1)), writeNull }
      case 'REPEATED':
        return {
          write: (v, r, d) => {
            const arr = v as unknown[] | undefined
            if (!arr || arr.length === 0) return writeNull(r, d)
            writeChildren(arr[0], r, d + 1)
            for (let i = 1; i < arr.length; i++) writeChildren(arr[i], rep, d + 1)
          },
          writeNull,
        }
    }
  }
  const top = schema.children.map((c) => ({ get: c.get ?? getter(c.name), ...compile(c, 0) }))
  if (next !== columns.length) throw new Error(`parquet writer: schema has ${next} leaves but ${columns.length} column writers`)
  return (row) => {
    for (const t of top) t.write(t.get(row), 0, 0)
  }
}

function getter(name: string): (parent: unknown) => unknown {
  return (parent) => (parent as Record<string, unknown>)[name]
}
