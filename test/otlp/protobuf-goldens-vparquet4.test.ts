import { describeProtobufGoldens } from './protobuf-goldens-harness.js'

describeProtobufGoldens('vParquet4')
