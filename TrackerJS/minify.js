// Minifies the tracker with Debian's node-terser (`require('terser')` from /usr/share/nodejs):
// it compresses this code ~25 bytes (gzipped) smaller than esbuild, which matters under
// the 1,500-byte budget. Usage: node TrackerJS/minify.js SOURCE > OUT
'use strict';
const fs = require('node:fs');
const { minify } = require('terser');

minify(fs.readFileSync(process.argv[2], 'utf8'), {
  ecma: 2020,
  compress: { passes: 3, unsafe_arrows: true },
  mangle: true,
  // No parentheses around function arguments (a V8 parse hint worth nothing for ~2.5 KB): ~12 bytes gzipped.
  format: { wrap_func_args: false },
}).then((result) => process.stdout.write(result.code), (error) => {
  console.error(error);
  process.exit(1);
});
