import fc from "fast-check";

// Properties draw their random cases from one seed, so a test run is reproducible (the same cases in
// CI and on every machine). Explore new cases with FC_SEED=<n> pnpm test.
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261127) });
