// Child process for the paged-search benchmark: streams a search with the directory engine and reports count and
// time, so that its own peak RSS can be sampled from outside. usage: node search-child.mjs '<json config>' '<json search>'
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { Directory } = require('../out/connector/directory/index.js');
const [config, search] = process.argv.slice(2).map((s) => JSON.parse(s));
const dir = new Directory(config);
const t0 = performance.now();
let n = 0,
  firstMs;
const source = search.users ? dir.searchUsers('', 0) : dir.search(search);
for await (const page of source) {
  n += page.length;
  firstMs ??= performance.now() - t0;
}
await dir.close();
process.stdout.write(JSON.stringify({ count: n, ms: performance.now() - t0, firstMs }) + '\n');
