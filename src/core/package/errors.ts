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
      /** A receipt whose stored bytes cannot be read any more (params: its name). */
      | 'receipt-unreadable'
      /** A receipt larger than the verifier takes for one file (params: its name, its size in MiB). */
      | 'receipt-too-large'
      /**
       * A file larger than the verifier takes for one file, `ZIP_LIMITS.entryBytes` (params: its path
       * in the package, its size in MiB rounded up).
       */
      | 'file-too-large'
      /** More files than a ZIP's 16-bit count can say (params: how many). */
      | 'too-many-files'
      /** 4 GiB or more, past a ZIP's 32-bit offsets (params: the size in MiB, rounded up). */
      | 'too-large',
    readonly params: string[],
  ) {
    super(`${code}: ${params.join(' ')}`);
  }
}

/** A size in MiB, rounded up, as the locker's messages say it. */
export const mebibytes = (bytes: number) => String(Math.ceil(bytes / 2 ** 20));
