/**
 * A parquet schema as the writer needs it: a tree of groups and leaves, each leaf with its physical and
 * logical type, encoding choice and codec. `list()` and `map()` build parquet-go's 3-level LIST and MAP
 * wrappers; row objects hold plain arrays there (the wrapper levels read them through `get`).
 */

/** Physical types the writer supports. */
export type PhysicalType = 'BOOLEAN' | 'INT32' | 'INT64' | 'DOUBLE' | 'BYTE_ARRAY'
/** Field repetition. */
export type Repetition = 'REQUIRED' | 'OPTIONAL' | 'REPEATED'
/** Logical annotations in use (each also writes its legacy ConvertedType). */
export type Annotation = 'STRING' | 'INT32' | 'INT64' | 'UINT32' | 'UINT64' | 'LIST' | 'MAP'
/** Column chunk compression. */
export type Codec = 'UNCOMPRESSED' | 'SNAPPY' | 'ZSTD'

/** How a leaf column is encoded. */
export interface ColumnOptions {
  /** RLE_DICTIONARY data pages after a PLAIN dictionary page. */
  dict?: boolean
  /** DELTA_BINARY_PACKED (integer leaves). */
  delta?: boolean
  codec?: Codec
  /** Tempo's `blob` columns: no min/max in chunk statistics and ColumnIndex. */
  noStats?: boolean
}

/** One schema node. */
export interface SchemaNode {
  name: string
  repetition: Repetition
  type?: PhysicalType
  annotation?: Annotation
  children?: SchemaNode[]
  options?: ColumnOptions
  /** Read this node's value out of its parent's value (default: the property `name`). */
  get?: (parent: unknown) => unknown
}

/** A leaf column with its path and maximum levels. */
export interface LeafColumn {
  path: string[]
  node: SchemaNode
  type: PhysicalType
  maxDef: number
  maxRep: number
  options: ColumnOptions
}

const identity = (v: unknown): unknown => v

/** A leaf (default REQUIRED). */
export function leaf(name: string, type: PhysicalType, annotation: Annotation | undefined, options: ColumnOptions = {}, repetition: Repetition = 'REQUIRED'): SchemaNode {
  return { name, repetition, type, annotation, options }
}

/** A group (default REQUIRED). */
export function group(name: string, children: SchemaNode[], repetition: Repetition = 'REQUIRED'): SchemaNode {
  return { name, repetition, children }
}

/** parquet-go's `list` tag: `<name> (LIST) { repeated group list { required <element> } }`; row value is an array. */
export function list(name: string, element: SchemaNode): SchemaNode {
  const elementNode: SchemaNode = { ...element, name: 'element', repetition: 'REQUIRED', get: identity }
  const listNode: SchemaNode = { name: 'list', repetition: 'REPEATED', children: [elementNode], get: identity }
  return { name, repetition: 'REQUIRED', annotation: 'LIST', children: [listNode] }
}

/** Go `map[string]T`: `<name> (MAP) { repeated group key_value { key; value } }`; row value is `{key, value}[]`. */
export function map(name: string, key: SchemaNode, value: SchemaNode): SchemaNode {
  const keyValue: SchemaNode = { name: 'key_value', repetition: 'REPEATED', children: [{ ...key, name: 'key' }, { ...value, name: 'value' }], get: identity }
  return { name, repetition: 'REQUIRED', annotation: 'MAP', children: [keyValue] }
}

/** A whole message. */
export interface MessageSchema {
  name: string
  children: SchemaNode[]
}

/** Every leaf in schema order with its levels. */
export function leafColumns(schema: MessageSchema): LeafColumn[] {
  const out: LeafColumn[] = []
  const walk = (node: SchemaNode, path: string[], def: number, rep: number): void => {
    const d = def + (node.repetition === 'REQUIRED' ? 0 : 1)
    const r = rep + (node.repetition === 'REPEATED' ? 1 : 0)
    const p = [...path, node.name]
    if (node.children) for (const c of node.children) walk(c, p, d, r)
    else out.push({ path: p, node, type: node.type!, maxDef: d, maxRep: r, options: node.options ?? {} })
  }
  for (const c of schema.children) walk(c, [], 0, 0)
  return out
}
