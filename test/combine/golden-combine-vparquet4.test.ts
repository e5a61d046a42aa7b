import { describeGoldenCombine } from './golden-combine-harness.js'

describeGoldenCombine('vParquet4', { 'single-tenant': { multiBlock: 123, partial: 0 }, 'tenant-b': { multiBlock: 10, partial: 2 } })
