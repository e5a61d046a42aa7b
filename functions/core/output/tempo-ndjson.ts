import type { OutputFormat } from './output-format.js'

/** The default: the result's NDJSON lines as stored, Tempo's `/api/v2/traces` dialect inside, byte for byte. */
export const tempoNdjsonFormat: OutputFormat = {
  name: 'tempo',
  aliases: ['ndjson'],
  description: "NDJSON, one line per requested ID: {traceId, status, trace?, message?}, trace in Tempo's /api/v2 JSON dialect (default)",
  output: 'text',
  async write(records, { sink }) {
    for await (const record of records) await sink.write(record.line + '\n')
  },
}
