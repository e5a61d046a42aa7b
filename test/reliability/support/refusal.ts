import { expect } from 'vitest'

/**
 * The refusal issue 11 asks for: one of the expected 4xx statuses, a JSON `{ error, field }` whose field
 * starts with one of the expected names, a one-line message, and no stack trace.
 */
export function expectRefusal(answer: { status: number; text: string }, expected: { statuses: number[]; fields: string[] }): void {
  const context = `${answer.status} ${answer.text.slice(0, 300)}`
  expect(answer.status, context).toBeLessThan(500)
  expect(expected.statuses, context).toContain(answer.status)
  const body = JSON.parse(answer.text) as { error?: unknown; field?: unknown }
  expect(typeof body.error, context).toBe('string')
  expect(body.error as string, context).toMatch(/^invalid request: /)
  expect(body.error as string, context).not.toMatch(/\n|\s+at .*:\d+/)
  expect(typeof body.field, context).toBe('string')
  expect(expected.fields.some((field) => (body.field as string).startsWith(field)), `${context}: field not one of ${expected.fields.join(', ')}`).toBe(true)
}
