/**
 * `--push-to-hub` for the trainer, as HF's Trainer does it: the repo is `--hub-model-id` (default: the
 * output directory's name, under the token's user when it names no organization); with
 * `--hub-strategy every_save` each checkpoint's model files are pushed as they are saved ("Training in
 * progress, step N"), and at the end the output directory is pushed ("End of training"). Each push is
 * one commit, made by `pushToHub` through `@huggingface/hub`.
 */
import { basename } from "node:path";
import { whoAmI } from "@huggingface/hub";
import * as E from "fp-ts/lib/Either.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import type { TrainerCallback } from "../train/callbacks.js";
import type { HubEnvironment } from "./environment.js";
import { type HubError, requestFailed } from "./errors.js";
import { defaultIgnore, type PushResult, pushToHub } from "./push.js";

/** Where and how a run pushes. */
export interface HubTarget {
  /** `org/name`, resolved. */
  readonly repoId: string;
  readonly environment: HubEnvironment;
  readonly token: string;
  readonly strategy: string;
  readonly private: boolean;
}

/**
 * The repo a run pushes to: `hubModelId` (default: the output directory's name); a bare name is put
 * under the token's user (HF's `get_full_repo_name`, through `whoAmI`, which also checks the token).
 * @example await hubTarget({ hubModelId: "", outputDir: "out/tiny", token: "hf_…", … }, env)() // Right({ repoId: "me/tiny", … })
 */
export const hubTarget =
  (
    flags: {
      readonly hubModelId: string;
      readonly outputDir: string;
      readonly hubToken: string;
      readonly hubStrategy: string;
      readonly hubPrivateRepo: boolean;
    },
    environment: HubEnvironment,
  ): TE.TaskEither<HubError, HubTarget> =>
  async () => {
    const token = flags.hubToken || environment.token;
    if (!token)
      return E.left({
        _tag: "MissingToken",
        message: "--push-to-hub needs a token with write access: pass --hub-token or set HF_TOKEN",
      });
    const id = flags.hubModelId || basename(flags.outputDir);
    if (!/^(?:[A-Za-z0-9][\w.-]*\/)?[A-Za-z0-9][\w.-]*$/.test(id) || id.includes(".."))
      return E.left({
        _tag: "InvalidRepoId",
        message: `--hub-model-id ${id}: give it as name or org/name (letters, digits, -, _, .)${flags.hubModelId ? "" : " (it defaults to the --output-dir's name)"}`,
      });
    // whoAmI checks the token before any work (HF's Trainer creates its repo at init) and names the
    // user a bare id goes under
    let user: string;
    try {
      user = (await whoAmI({ accessToken: token, hubUrl: environment.endpoint })).name;
    } catch (e) {
      return E.left(
        requestFailed(`asking ${environment.endpoint} whose token this is (for --hub-model-id ${id})`, e),
      );
    }
    const repoId = id.includes("/") ? id : `${user}/${id}`;
    return E.right({
      repoId,
      environment,
      token,
      strategy: flags.hubStrategy,
      private: flags.hubPrivateRepo,
    });
  };

/** What a checkpoint push leaves out: the optimizer and trainer state (HF pushes only the model files). */
const checkpointIgnore = (path: string): boolean =>
  defaultIgnore(path) || path.startsWith("optimizer") || path === "trainer_state.json";

/**
 * Pushes `dir` (an output directory, or with `checkpoint` a checkpoint's model files) to the target in
 * one commit.
 */
export const pushRun = (
  target: HubTarget,
  dir: string,
  commitMessage: string,
  checkpoint = false,
): TE.TaskEither<HubError, PushResult> =>
  pushToHub(
    dir,
    {
      repoId: target.repoId,
      commitMessage,
      private: target.private,
      ...(checkpoint ? { ignore: checkpointIgnore } : {}),
    },
    target.environment,
    target.token,
  );

/**
 * `--hub-strategy every_save`: after each checkpoint is saved, its model files are pushed. A failed
 * push is reported through `warn` and training goes on (HF's pushes during training are background
 * jobs whose failure does not stop the run); the end-of-training push still says whether it worked.
 */
export const hubPushCallback = (target: HubTarget, warn: (line: string) => void): TrainerCallback => ({
  onSave: async ({ state }, dir) => {
    if (target.strategy !== "every_save") return;
    const pushed = await pushRun(target, dir, `Training in progress, step ${state.global_step}`, true)();
    if (E.isLeft(pushed)) warn(`warning: pushing ${dir} failed (training goes on): ${pushed.left.message}`);
    else warn(`Pushed ${dir} to ${target.repoId} (${pushed.right.commitOid.slice(0, 8)})`);
  },
});
