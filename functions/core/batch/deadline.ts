import { DeadlineExceededError } from '../contract/errors.js'

/** An abort signal that fires at `deadline` (unix ms) with a `DeadlineExceededError`; never without one. */
export function deadlineSignal(deadline: number | undefined, what: string): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController()
  if (deadline === undefined) return { signal: controller.signal, clear: () => undefined }
  const fire = () => controller.abort(new DeadlineExceededError(what, deadline))
  const timer = setTimeout(fire, Math.max(0, deadline - Date.now()))
  return { signal: controller.signal, clear: () => clearTimeout(timer) }
}
