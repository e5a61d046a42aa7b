import { goldensThroughS3 } from './goldens-s3.js'

goldensThroughS3('vParquet4')
