import { describeSingleBlockGoldens } from './single-block-harness.js'

describeSingleBlockGoldens('vParquet3', { 'single-tenant': 272, 'tenant-b': 51 })
