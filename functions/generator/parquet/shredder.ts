import type { ColumnWriter } from './column-writer.js'
import type { MessageSchema, SchemaNode } from './schema.js'

/**
 * Dremel shredding: turns one nested row object into values with repetition and definition levels
 * for every leaf column. The walk is generated once per schema as straight-line JavaScript (constant
 * definition levels, one loop per repeated field, direct property reads), which is several times faster
 * than interpreting the schema per row.
 */

/** Build the row writer for `schema`; `columns` are the leaf writers in schema (leaf) order. */
export function compileShredder(schema: MessageSchema, columns: ColumnWriter[]): (row: unknown) => void {
  let leafIndex = 0
  let varCount = 0
  const fresh = (prefix: string): string => `${prefix}${varCount++}`
  const lines: string[] = []

  /** Leaf indexes under `node`, in order, without consuming them. */
  const leavesUnder = (node: SchemaNode, first: number): number[] => {
    const out: number[] = []
    let next = first
    const walk = (n: SchemaNode): void => {
      if (n.children) n.children.forEach(walk)
      else out.push(next++)
    }
    walk(node)
    return out
  }

  const access = (parent: string, node: SchemaNode): string => (node.get ? parent : `${parent}[${JSON.stringify(node.name)}]`)

  /** Emit code writing `value` (an expression) for `node`, with dynamic repetition `rep` and static parent definition `def`. */
  const emit = (node: SchemaNode, value: string, rep: string, def: number, repDepth: number): void => {
    const myDef = def + (node.repetition === 'REQUIRED' ? 0 : 1)
    const myRep = repDepth + (node.repetition === 'REPEATED' ? 1 : 0)
    const nulls = (): string =>
      leavesUnder(node, leafIndex)
        .map((i) => `c[${i}].pushNull(${rep}, ${def});`)
        .join(' ')
    if (!node.children) {
      const col = `c[${leafIndex}]`
      if (node.repetition === 'REQUIRED') lines.push(`${col}.push(${value}, ${rep}, ${def});`)
      else if (node.repetition === 'OPTIONAL') {
        const v = fresh('v')
        lines.push(`{ const ${v} = ${value}; if (${v} === null || ${v} === undefined) ${col}.pushNull(${rep}, ${def}); else ${col}.push(${v}, ${rep}, ${myDef}); }`)
      } else {
        const a = fresh('a')
        const i = fresh('i')
        lines.push(`{ const ${a} = ${value}; if (!${a} || ${a}.length === 0) ${col}.pushNull(${rep}, ${def}); else { ${col}.push(${a}[0], ${rep}, ${myDef}); for (let ${i} = 1; ${i} < ${a}.length; ${i}++) ${col}.push(${a}[${i}], ${myRep}, ${myDef}); } }`)
      }
      leafIndex++
      return
    }
    const g = fresh('g')
    if (node.repetition === 'REQUIRED') {
      lines.push(`{ const ${g} = ${value};`)
      for (const child of node.children) emit(child, access(g, child), rep, myDef, myRep)
      lines.push('}')
    } else if (node.repetition === 'OPTIONAL') {
      lines.push(`{ const ${g} = ${value}; if (${g} === null || ${g} === undefined) { ${nulls()} } else {`)
      for (const child of node.children) emit(child, access(g, child), rep, myDef, myRep)
      lines.push('} }')
    } else {
      const a = fresh('a')
      const i = fresh('i')
      const r = fresh('r')
      lines.push(`{ const ${a} = ${value}; if (!${a} || ${a}.length === 0) { ${nulls()} } else for (let ${i} = 0; ${i} < ${a}.length; ${i}++) { const ${g} = ${a}[${i}]; const ${r} = ${i} === 0 ? ${rep} : ${myRep};`)
      for (const child of node.children) emit(child, access(g, child), r, myDef, myRep)
      lines.push('}}')
    }
  }

  for (const child of schema.children) emit(child, access('row', child), '0', 0, 0)
  if (leafIndex !== columns.length) throw new Error(`parquet writer: schema has ${leafIndex} leaves but ${columns.length} column writers`)
  // The generated code only reads properties of `row` and calls push/pushNull on the given writers.
  const body = `"use strict";\n${lines.join('\n')}`
  const fn = new Function('c', 'row', body) as (c: ColumnWriter[], row: unknown) => void
  return (row) => fn(columns, row)
}
