/** The package version, kept equal to package.json's by test/version.test.ts. */
export const VERSION = "0.1.0";

/** The User-Agent of every request dci-mirror sends, API and object store alike. */
export const USER_AGENT = `dci-mirror/${VERSION}`;
