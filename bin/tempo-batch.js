#!/usr/bin/env node
// Thin launcher: the CLI is bundled into dist/cli/ by `npm install` (the `prepare` script runs `npm run build`).
import '../dist/cli/main.js'
