import { goldensThroughServe } from './goldens-serve.js'

goldensThroughServe('vParquet3')
