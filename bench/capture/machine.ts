/** What the figures were measured on: they mean little without the machine, the browser and the build. */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem, release } from 'node:os';
import { ROOT } from '../../src/cli/build';
import { findChromium } from '../../src/cli/chromium';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  chromium: string;
  /** Load average (1, 5, 15 min) when the run started: the machine is shared. */
  load: number[];
  /** The commit the extension was built from, with `+dirty` when the tree had changes. */
  commit: string;
}

function git(args: string[]): string {
  return spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() ?? '';
}

export function describeMachine(): Machine {
  const chromium = spawnSync(findChromium(), ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '?';
  const dirty = git(['status', '--porcelain', '--', 'src', 'manifest.json']) !== '';
  return {
    cpu: cpus()[0]?.model.trim() ?? '?',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${process.platform} ${release()}`,
    node: process.version,
    chromium,
    load: loadavg().map((l) => Math.round(l * 100) / 100),
    commit: (git(['rev-parse', '--short', 'HEAD']) || '?') + (dirty ? '+dirty' : ''),
  };
}

export function machineLines(m: Machine, command: string): string[] {
  return [
    `machine:  ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, load ${m.load.join(' ')}`,
    `browser:  ${m.chromium}, headless; Node ${m.node}`,
    `build:    ${m.commit}`,
    `command:  ${command}`,
    `date:     ${new Date().toISOString()}`,
  ];
}
