#!/usr/bin/env node
// Writes the man page dci-mirror(1) from the built command line (dist/), so that it says what
// `--help` says. Run by `npm run build`; usage: node scripts/gen-man.js [OUTPUT], default
// dist/dci-mirror.1 (package.json's "man" field, shipped in the npm package and the RPM).
import { writeFileSync } from "node:fs";
import { EXIT_CODE_TABLE } from "../dist/cli/exit-codes.js";
import { manPage } from "../dist/cli/man/man-page.js";
import { cliReference } from "../dist/cli/man/reference.js";
import { VERSION } from "../dist/version.js";

const output = process.argv[2] ?? new URL("../dist/dci-mirror.1", import.meta.url).pathname;
writeFileSync(
  output,
  manPage({ reference: cliReference(), version: VERSION, exitCodes: EXIT_CODE_TABLE }),
);
