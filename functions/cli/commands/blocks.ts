import { openStore } from '../../adapters/store-url.js'
import { discoverBlocks } from '../../core/blocks/discovery.js'
import { TempoLayout, validateTenant } from '../../core/storage/layout.js'
import { parseCommandArgs, readStoreArgs, storeOptions, ExitCode, UsageError } from '../args.js'
import { checkStoreExists, noBlocksHint } from '../store-check.js'

/** Usage of `tempo-batch blocks`. */
export const blocksUsage = 'usage: tempo-batch blocks --store <dir|s3://bucket[/prefix]> --tenant <id> [--json] [--endpoint <url>] [--prefix <p>]'

/** `tempo-batch blocks`: list a tenant's blocks (ID, format, time range, traces, size) as a table or JSON. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { ...storeOptions, tenant: { type: 'string' }, json: { type: 'boolean' } })
  const args = readStoreArgs(values)
  if (!values.tenant) throw new UsageError('--tenant', 'is required')
  const tenant = validateTenant(values.tenant)
  await checkStoreExists(args.store)
  const store = openStore(args.store, args.endpoint ? { endpoint: args.endpoint } : {})
  const layout = new TempoLayout(args.prefix)
  const found = await discoverBlocks(store, layout, tenant, { source: 'listing' })
  const unreadable = found.unreadable ?? []
  // The same words as fetch's warning: an empty listing is more often a typo than an empty tenant.
  if (found.blocks.length === 0 && unreadable.length === 0) {
    process.stderr.write(`tempo-batch blocks: warning: tenant ${JSON.stringify(tenant)} has no blocks in ${store.description} (${await noBlocksHint(store, layout)})\n`)
  }
  for (const block of unreadable) process.stderr.write(`tempo-batch blocks: warning: block ${block.blockId} cannot be read: ${block.reason}\n`)
  const rows = found.blocks.map((b) => ({
    blockId: b.blockId,
    format: b.format,
    start: nsToIso(b.startTimeUnixNano),
    end: nsToIso(b.endTimeUnixNano),
    traces: b.totalObjects,
    size: b.size,
    compactionLevel: b.compactionLevel,
    ...(b.compactedTime ? { compacted: b.compactedTime.toISOString() } : {}),
  }))
  if (values.json) {
    process.stdout.write(JSON.stringify({ tenant, source: found.source, blocks: rows, skipped: found.skipped, unreadable }, null, 2) + '\n')
    return ExitCode.ok
  }
  const header = ['BLOCK', 'FORMAT', 'START', 'END', 'TRACES', 'SIZE']
  const table = [header, ...rows.map((r) => [r.blockId, r.format, r.start, r.end, String(r.traces), String(r.size)])]
  const widths = header.map((_, i) => Math.max(...table.map((row) => row[i]!.length)))
  for (const row of table) process.stdout.write(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd() + '\n')
  process.stderr.write(`${rows.length} blocks${found.skipped.length ? `, ${found.skipped.length} skipped` : ''}${unreadable.length ? `, ${unreadable.length} unreadable` : ''}\n`)
  return ExitCode.ok
}

function nsToIso(ns: bigint): string {
  return new Date(Number(ns / 1_000_000n)).toISOString()
}
