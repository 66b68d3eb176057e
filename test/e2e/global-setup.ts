import { ensureBuilt } from '../../src/cli/build';

/** The end-to-end tests load the built extension: build it first when `dist/` is missing or stale. */
export default function setup(): void {
  ensureBuilt((line) => console.log(line));
}
