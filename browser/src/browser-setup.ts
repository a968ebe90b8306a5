import fc from "fast-check";

// The same seed as the Node suites (vitest.setup.ts), so a browser run draws the same cases.
fc.configureGlobal({ seed: 20261127 });
