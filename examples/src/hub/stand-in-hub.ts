/**
 * A stand-in for the Hugging Face Hub, for tests: an HTTP server on 127.0.0.1 that answers the
 * endpoints `@huggingface/hub` calls to create a repo, commit files (regular ones inline, weights
 * through the LFS basic transfer) and download a snapshot, keeping repos in memory. It checks what a
 * real hub checks that a client could get wrong: the bearer token, LFS objects' sha256 before they are
 * committed, and that `lfsFile` entries point at uploaded objects. Loopback only; test-only.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One file of a commit: its bytes, and whether it went through LFS. */
export interface StoredFile {
  readonly content: Buffer;
  readonly lfs: boolean;
}

/** A commit as the stand-in recorded it. */
export interface StoredCommit {
  readonly oid: string;
  readonly title: string;
  readonly files: ReadonlyMap<string, StoredFile>;
}

/** A running stand-in hub. */
export interface StandInHub {
  /** Its base URL (`http://127.0.0.1:<port>`): pass as HF_ENDPOINT. */
  readonly url: string;
  /** Repo id → its commits, oldest first (the last is `main`). */
  readonly repos: Map<string, StoredCommit[]>;
  /** Every request, as "METHOD /path" (query included). */
  readonly requests: string[];
  readonly close: () => Promise<void>;
}

const gitBlobOid = (content: Buffer) =>
  createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");
const sha256 = (content: Buffer) => createHash("sha256").update(content).digest("hex");

const body = async (req: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

const json = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(value));
};

/** Files above this size, and every *.safetensors / *.bin, go through LFS (as the hub's .gitattributes). */
const LFS_THRESHOLD = 10 * 1024 * 1024;
const isLfs = (path: string, size: number) => size > LFS_THRESHOLD || /\.(safetensors|bin|pt)$/.test(path);

/**
 * Starts a stand-in hub on 127.0.0.1 (a free port) that accepts `token`, the token of `user`, as the
 * only valid token.
 * @example const hub = await startStandInHub("hf_test"); … await hub.close();
 */
export const startStandInHub = async (token: string, user = "me"): Promise<StandInHub> => {
  const repos = new Map<string, StoredCommit[]>();
  const lfsObjects = new Map<string, Buffer>();
  const requests: string[] = [];

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => json(res, 500, { error: String(e) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const authorized = (req: IncomingMessage) => req.headers.authorization === `Bearer ${token}`;
  const head = (repo: string) => repos.get(repo)?.at(-1);
  const fileEntry = (commit: StoredCommit, path: string) => {
    const f = commit.files.get(path)!;
    return {
      type: "file",
      path,
      size: f.content.length,
      oid: gitBlobOid(f.content),
      ...(f.lfs ? { lfs: { oid: sha256(f.content), size: f.content.length, pointerSize: 134 } } : {}),
      lastCommit: { id: commit.oid, title: commit.title, date: new Date(0).toISOString() },
    };
  };

  type Handler = (m: RegExpMatchArray, req: IncomingMessage, res: ServerResponse) => Promise<void>;
  const route = (method: string, pattern: RegExp, handler: Handler) => ({ method, pattern, handler });
  const routes = [
    // whoAmI: the token's user (HF's get_full_repo_name puts a bare --hub-model-id under it)
    route("GET", /^\/api\/whoami-v2$/, async (_m, req, res) => {
      if (!authorized(req)) return json(res, 401, { error: "Invalid credentials" });
      return json(res, 200, { type: "user", id: "user-id", name: user, auth: { type: "access_token" } });
    }),
    route("POST", /^\/api\/repos\/create$/, async (_m, req, res) => {
      if (!authorized(req)) return json(res, 401, { error: "Invalid credentials" });
      const { name, organization } = JSON.parse((await body(req)).toString()) as {
        name: string;
        organization?: string;
      };
      const id = organization ? `${organization}/${name}` : name;
      if (repos.has(id)) return json(res, 409, { error: "You already created this model repo" });
      repos.set(id, [{ oid: "0".repeat(40), title: "initial commit", files: new Map() }]);
      return json(res, 200, { url: `${url}/${id}`, name: id, id: `id-${id}` });
    }),
    // repoExists: GET /api/models/{id}?expand[]=likes
    route("GET", /^\/api\/models\/([^/]+(?:\/[^/]+)?)$/, async (m, _req, res) => {
      return repos.has(m[1]!)
        ? json(res, 200, { id: m[1], likes: 0 })
        : json(res, 404, { error: "Repository not found" });
    }),
    // modelInfo (snapshotDownload): the commit a revision points at
    route("GET", /^\/api\/models\/(.+)\/revision\/([^/]+)$/, async (m, _req, res) => {
      const commit = head(m[1]!);
      if (!commit) return json(res, 404, { error: "Repository not found" });
      return json(res, 200, {
        _id: `id-${m[1]}`,
        id: m[1],
        sha: commit.oid,
        private: false,
        lastModified: new Date(0).toISOString(),
      });
    }),
    // listFiles: every file of the head commit
    route("GET", /^\/api\/models\/(.+)\/tree\/([^/]+)$/, async (m, _req, res) => {
      const commit = head(m[1]!);
      if (!commit) return json(res, 404, { error: "Repository not found" });
      return json(
        res,
        200,
        [...commit.files.keys()].sort().map((p) => fileEntry(commit, p)),
      );
    }),
    // pathsInfo (downloadFileToCacheDir): oid, size, lfs and last commit of each path
    route("POST", /^\/api\/models\/(.+)\/paths-info\/([^/]+)$/, async (m, req, res) => {
      const commit = head(m[1]!);
      if (!commit) return json(res, 404, { error: "Repository not found" });
      const { paths } = JSON.parse((await body(req)).toString()) as { paths: string[] };
      return json(
        res,
        200,
        paths.filter((p) => commit.files.has(p)).map((p) => fileEntry(commit, p)),
      );
    }),
    // preupload: which files go through LFS
    route("POST", /^\/api\/models\/(.+)\/preupload\/([^/]+)$/, async (m, req, res) => {
      if (!authorized(req)) return json(res, 401, { error: "Invalid credentials" });
      if (!repos.has(m[1]!)) return json(res, 404, { error: "Repository not found" });
      const { files } = JSON.parse((await body(req)).toString()) as {
        files: { path: string; size: number }[];
      };
      return json(res, 200, {
        files: files.map((f) => ({
          path: f.path,
          uploadMode: isLfs(f.path, f.size) ? "lfs" : "regular",
          shouldIgnore: false,
        })),
      });
    }),
    // LFS batch: the basic transfer, one upload URL per object not stored yet (no Xet)
    route("POST", /^\/(.+)\.git\/info\/lfs\/objects\/batch$/, async (_m, req, res) => {
      if (!authorized(req)) return json(res, 401, { message: "Invalid credentials" });
      const { objects } = JSON.parse((await body(req)).toString()) as {
        objects: { oid: string; size: number }[];
      };
      return json(res, 200, {
        transfer: "basic",
        objects: objects.map((o) => ({
          oid: o.oid,
          size: o.size,
          ...(lfsObjects.has(o.oid) ? {} : { actions: { upload: { href: `${url}/lfs-upload/${o.oid}` } } }),
        })),
      });
    }),
    // an LFS object, checked against its sha256
    route("PUT", /^\/lfs-upload\/([0-9a-f]{64})$/, async (m, req, res) => {
      const content = await body(req);
      if (sha256(content) !== m[1]) return json(res, 400, { error: "sha256 mismatch" });
      lfsObjects.set(m[1]!, content);
      res.writeHead(200, { ETag: `"${m[1]}"` });
      return void res.end();
    }),
    // commit: ndjson header, then file (inline base64) / lfsFile / deletedFile lines
    route("POST", /^\/api\/models\/(.+)\/commit\/([^/]+)$/, async (m, req, res) => {
      if (!authorized(req)) return json(res, 401, { error: "Invalid credentials" });
      const commits = repos.get(m[1]!);
      if (!commits) return json(res, 404, { error: "Repository not found" });
      const lines = (await body(req))
        .toString()
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l));
      const files = new Map(commits.at(-1)!.files);
      let title = "";
      for (const { key, value } of lines) {
        if (key === "header") title = value.summary;
        else if (key === "file")
          files.set(value.path, { content: Buffer.from(value.content, "base64"), lfs: false });
        else if (key === "lfsFile") {
          const content = lfsObjects.get(value.oid);
          if (!content)
            return json(res, 422, { error: `LFS object ${value.oid} of ${value.path} was never uploaded` });
          files.set(value.path, { content, lfs: true });
        } else if (key === "deletedFile") files.delete(value.path);
        else return json(res, 400, { error: `unknown commit line ${key}` });
      }
      const oid = createHash("sha1").update(`${m[1]}\n${commits.length}\n${title}`).digest("hex");
      commits.push({ oid, title, files });
      return json(res, 200, { commitOid: oid, commitUrl: `${url}/${m[1]}/commit/${oid}`, success: true });
    }),
    // file download (fileDownloadInfo probes bytes=0-0, then WebBlob reads ranges)
    route("GET", /^\/(.+?)\/resolve\/([^/]+)\/(.+)$/, async (m, req, res) => {
      const commits = repos.get(m[1]!);
      const commit = commits?.find((c) => c.oid === m![2]) ?? (m[2] === "main" ? commits?.at(-1) : undefined);
      if (!commit) {
        res.writeHead(404, { "X-Error-Code": "RevisionNotFound" });
        return void res.end();
      }
      const file = commit.files.get(decodeURIComponent(m[3]!));
      if (!file) {
        res.writeHead(404, { "X-Error-Code": "EntryNotFound" });
        return void res.end();
      }
      const etag = `"${file.lfs ? sha256(file.content) : gitBlobOid(file.content)}"`;
      const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
      const size = file.content.length;
      if (range) {
        const start = Number(range[1]);
        const end = range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
        res.writeHead(206, {
          "Content-Range": `bytes ${start}-${end}/${size}`,
          "Content-Length": String(end - start + 1),
          ETag: etag,
          "X-Repo-Commit": commit.oid,
        });
        return void res.end(file.content.subarray(start, end + 1));
      }
      res.writeHead(200, { "Content-Length": String(size), ETag: etag, "X-Repo-Commit": commit.oid });
      return void res.end(file.content);
    }),
  ];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { pathname } = new URL(req.url ?? "/", url);
    const method = req.method ?? "GET";
    requests.push(`${method} ${req.url}`);
    for (const r of routes) {
      const m = r.method === method ? pathname.match(r.pattern) : null;
      if (m) return r.handler(m, req, res);
    }
    json(res, 404, { error: `the stand-in hub does not serve ${method} ${pathname}` });
  };

  return {
    url,
    repos,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
};
