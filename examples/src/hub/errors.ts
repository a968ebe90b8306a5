/**
 * What can go wrong talking to the Hugging Face Hub or its local cache, as a tagged union: match on
 * `_tag`, show `message` (it says what to do).
 */
export type HubError =
  /** A write needs a token and none was given. */
  | { readonly _tag: "MissingToken"; readonly message: string }
  /** `HF_HUB_OFFLINE` is set and the cache lacks what was asked for. */
  | { readonly _tag: "NotInCache"; readonly message: string; readonly repoId: string }
  /** The name is neither a local directory nor a valid repo id. */
  | { readonly _tag: "InvalidRepoId"; readonly message: string }
  /** The hub (or the network) refused or failed the request. */
  | { readonly _tag: "RequestFailed"; readonly message: string; readonly status: number | undefined }
  /** A local file could not be read or written. */
  | { readonly _tag: "IoError"; readonly message: string; readonly path: string };

/** The hub library's error (HubApiError carries the HTTP status) as a `RequestFailed`. */
export const requestFailed = (what: string, e: unknown): HubError => {
  const status = (e as { statusCode?: unknown }).statusCode;
  return {
    _tag: "RequestFailed",
    status: typeof status === "number" ? status : undefined,
    message: `${what}: ${e instanceof Error ? e.message : String(e)}${
      status === 401 || status === 403
        ? " (check --hub-token / HF_TOKEN: it needs write access to the repo)"
        : ""
    }`,
  };
};
