import { goldensThroughBatchPath } from './goldens-batch.js'

goldensThroughBatchPath('vParquet4')
