/**
 * What a benchmark says about the machine it ran on, and the check that it ran alone. The same code
 * ran 2x slower on this project's Intel Xeon machines than on AMD Zen 4 (subnormal floats), and a
 * ratio timed beside another busy process means nothing, so every bench prints the CPU and refuses to
 * time on a busy machine. Node-only (reads /proc/stat): `@scratchgrad/backend-wasm/machine`.
 */
import { readFileSync } from "node:fs";
import os from "node:os";

/** The CPU model, core count, Node version and, on Linux, the CPU vendor family flags that matter here. */
export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly node: string;
  /** "intel", "amd" or "other": the table in docs/benchmarks.md each result belongs to. */
  readonly kind: "intel" | "amd" | "other";
  readonly avx512: boolean;
}

const cpuinfo = (): string => {
  try {
    return readFileSync("/proc/cpuinfo", "utf8");
  } catch {
    return "";
  }
};

/**
 * The machine a benchmark runs on.
 * @example console.log(describeMachine(machineInfo())); // "AMD EPYC 9R14 (amd, AVX-512), 2 cores, node v20.20.2"
 */
export function machineInfo(): MachineInfo {
  const info = cpuinfo();
  const field = (name: string) => new RegExp(`^${name}\\s*:\\s*(.*)$`, "m").exec(info)?.[1]?.trim();
  const cpu = field("model name") ?? os.cpus()[0]?.model ?? "unknown CPU";
  const vendor = field("vendor_id") ?? "";
  const family = field("cpu family");
  const kind = /intel/i.test(vendor + cpu) ? "intel" : /amd/i.test(vendor + cpu) ? "amd" : "other";
  const cpuName =
    kind === "amd" && family ? `${cpu} (family ${family}, model ${field("model") ?? "?"})` : cpu;
  return {
    cpu: cpuName,
    cores: os.availableParallelism(),
    node: process.version,
    kind,
    avx512: /\bavx512f\b/.test(field("flags") ?? ""),
  };
}

/** One line: CPU, its kind, cores, Node. */
export function describeMachine(m: MachineInfo = machineInfo()): string {
  return `${m.cpu} [${m.kind}${m.avx512 ? ", AVX-512" : ""}], ${m.cores} cores, node ${m.node}`;
}

const cpuTimes = (): { busy: number; total: number } | undefined => {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!; // "cpu  user nice system idle iowait ..."
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = v[3]! + (v[4] ?? 0);
    const total = v.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
};

/**
 * The share of all CPUs (0..1) that other processes kept busy over the next `ms` milliseconds: the
 * machine's busy time from /proc/stat less this process's own (V8 may still be compiling the modules
 * just loaded); undefined where /proc/stat does not exist.
 */
export async function busyShare(ms = 1000): Promise<number | undefined> {
  const a = cpuTimes();
  const own = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const b = cpuTimes();
  const ownUs = process.cpuUsage(own);
  if (!a || !b || b.total === a.total) return undefined;
  // /proc/stat counts in clock ticks (USER_HZ, 100 on Linux); cpuUsage in microseconds.
  const ownTicks = (ownUs.user + ownUs.system) / 1e4;
  return Math.max(0, b.busy - a.busy - ownTicks) / (b.total - a.total);
}

/**
 * Refuses to time on a busy machine: measures the CPU used by other processes for `ms` and, above
 * `maxBusy` (default 10% of all cores), prints why and exits with code 3, unless
 * SCRATCHGRAD_BENCH_FORCE=1. Prints the machine line either way.
 * @example await requireQuietMachine(); // before the first timed call
 */
export async function requireQuietMachine({ maxBusy = 0.1, ms = 1500 } = {}): Promise<void> {
  console.log(`machine: ${describeMachine()}`);
  const busy = await busyShare(ms);
  if (busy === undefined) return;
  const line = `other processes used ${(busy * 100).toFixed(0)}% of the CPUs over ${ms} ms`;
  if (busy <= maxBusy) {
    console.log(`quiet machine: ${line}`);
    return;
  }
  if (process.env.SCRATCHGRAD_BENCH_FORCE === "1") {
    console.log(
      `warning: ${line}; timing anyway (SCRATCHGRAD_BENCH_FORCE=1): the numbers are not comparable`,
    );
    return;
  }
  console.error(
    `error: ${line} (over ${(maxBusy * 100).toFixed(0)}%): not timing, since a ratio measured beside another busy ` +
      "process means nothing. Stop the other work (check `top`), or set SCRATCHGRAD_BENCH_FORCE=1 to time anyway.",
  );
  process.exit(3);
}
