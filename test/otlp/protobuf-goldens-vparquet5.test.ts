import { describeProtobufGoldens } from './protobuf-goldens-harness.js'

describeProtobufGoldens('vParquet5')
