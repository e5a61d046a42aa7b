import type { TraceView } from './trace-view.js'

/**
 * The critical path of one trace: the chain of span sections that determines its end-to-end duration,
 * computed as Jaeger's critical-path view and Uber's CRISP do. Walk back from the root's end: the child
 * that finished last before the current moment is on the path; the parent holds the path from that
 * child's end to the current moment, then the walk descends into the child and, once it returns at the
 * child's start, goes on with the children that finished before that start. Children that overlap a
 * later path child are hidden under it. A child that sticks out of its parent (clock skew, or an async
 * child outliving it) is truncated to the parent's bounds; a child wholly outside is dropped with its
 * subtree, since its clock cannot be placed against its parent's.
 */

/** A section `[start, end)` (milliseconds) of one span that lies on the critical path. */
export interface CriticalSection {
  span: number
  start: number
  end: number
}

interface Frame {
  span: number
  lo: number
  cursor: number
  /** Children clamped to this span, latest end first. */
  children: { span: number; start: number; end: number }[]
  next: number
}

/** The critical path of `view`, from its first root (sections in reverse time order; they tile the root). */
export function criticalPath(view: TraceView): CriticalSection[] {
  const root = view.roots[0]
  if (root === undefined) return []
  const sections: CriticalSection[] = []
  const rootSpan = view.spans[root]!
  // An explicit stack: call trees can be deeper than the JS stack allows for recursion.
  const stack: Frame[] = [frame(view, root, rootSpan.start, rootSpan.end)]
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!
    let descended = false
    while (top.next < top.children.length && top.cursor > top.lo) {
      const child = top.children[top.next++]!
      // A child still running at the current moment ran beside a path child that ends later: not blocking.
      if (child.end > top.cursor) continue
      if (child.end < top.cursor) sections.push({ span: top.span, start: child.end, end: top.cursor })
      top.cursor = child.start
      stack.push(frame(view, child.span, child.start, child.end))
      descended = true
      break
    }
    if (descended) continue
    if (top.cursor > top.lo) sections.push({ span: top.span, start: top.lo, end: top.cursor })
    stack.pop()
  }
  return sections
}

function frame(view: TraceView, span: number, lo: number, hi: number): Frame {
  const children: Frame['children'] = []
  for (const child of view.spans[span]!.children) {
    const c = view.spans[child]!
    const start = Math.max(c.start, lo)
    const end = Math.min(c.end, hi)
    if (end > start) children.push({ span: child, start, end })
  }
  children.sort((a, b) => b.end - a.end || a.start - b.start)
  return { span, lo, cursor: hi, children, next: 0 }
}

/** Milliseconds of the critical path each operation holds. */
export function criticalTimeByOperation(view: TraceView, sections: CriticalSection[]): Map<string, number> {
  const out = new Map<string, number>()
  for (const section of sections) {
    const operation = view.spans[section.span]!.operation
    out.set(operation, (out.get(operation) ?? 0) + (section.end - section.start))
  }
  return out
}
