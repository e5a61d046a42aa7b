import { describeSingleBlockGoldens } from './single-block-harness.js'

describeSingleBlockGoldens('vParquet5', { 'single-tenant': 272, 'tenant-b': 51 })
