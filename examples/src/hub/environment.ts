/**
 * The hub settings Python's `huggingface_hub` reads from the environment, read once at the edge and
 * passed in as a value: `HF_ENDPOINT`, `HF_TOKEN`, `HF_HUB_OFFLINE`, and the cache folder
 * (`HF_HUB_CACHE`, else `HF_HOME/hub`, else `$XDG_CACHE_HOME/huggingface/hub` or
 * `~/.cache/huggingface/hub`).
 */
import { homedir } from "node:os";
import { join } from "node:path";

/** Where the hub is and how to reach it. */
export interface HubEnvironment {
  /** The hub's base URL (HF_ENDPOINT; default https://huggingface.co). */
  readonly endpoint: string;
  /** HF_TOKEN, if set. */
  readonly token: string | undefined;
  /** HF_HUB_OFFLINE: never contact the hub, read only the cache. */
  readonly offline: boolean;
  /** The cache folder holding `models--org--name/` (Python's `HF_HUB_CACHE`). */
  readonly cacheDir: string;
}

/** The default hub. */
export const DEFAULT_ENDPOINT = "https://huggingface.co";

// huggingface_hub's _is_true: these spellings, any case, turn a flag on
const isTrue = (value: string | undefined): boolean =>
  value !== undefined && ["1", "on", "yes", "true"].includes(value.trim().toLowerCase());

/**
 * The hub settings from an environment (`process.env` at the CLI's edge), as huggingface_hub reads them.
 * @example hubEnvironment({ HF_HOME: "/data/hf", HF_HUB_OFFLINE: "1" }) // { cacheDir: "/data/hf/hub", offline: true, … }
 */
export const hubEnvironment = (env: Readonly<Record<string, string | undefined>>): HubEnvironment => {
  const home = env.HF_HOME ?? join(env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "huggingface");
  return {
    endpoint: (env.HF_ENDPOINT ?? DEFAULT_ENDPOINT).replace(/\/+$/, ""),
    token: env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN || undefined,
    offline: isTrue(env.HF_HUB_OFFLINE),
    cacheDir: env.HF_HUB_CACHE ?? env.HUGGINGFACE_HUB_CACHE ?? join(home, "hub"),
  };
};
