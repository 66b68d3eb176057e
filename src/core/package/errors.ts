/** Why a package could not be made: a code the locker turns into words, and what it names. */
export class PackageBuildError extends Error {
  constructor(
    readonly code:
      | 'no-sessions'
      | 'screenshot-missing'
      | 'screenshot-damaged'
      | 'video-missing'
      | 'video-damaged'
      | 'chain-gap'
      | 'receipt-damaged'
      /** More files than a ZIP's 16-bit count can say (params: how many). */
      | 'too-many-files'
      /** 4 GiB or more, past a ZIP's 32-bit offsets (params: the size in MiB, rounded up). */
      | 'too-large',
    readonly params: string[],
  ) {
    super(`${code}: ${params.join(' ')}`);
  }
}
