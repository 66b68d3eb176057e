/** The one way extension pages talk to the background: typed, versioned, errors as values. */
import browser from 'webextension-polyfill';
import {
  PROTOCOL_VERSION,
  type ErrorCode,
  type MessageName,
  type Reply,
  type Req,
  type Res,
} from '../core/protocol';

export class RequestFailed extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export async function send<K extends MessageName>(name: K, req: Req<K>): Promise<Res<K>> {
  let reply: Reply<Res<K>> | undefined;
  try {
    reply = (await browser.runtime.sendMessage({ v: PROTOCOL_VERSION, name, req })) as
      Reply<Res<K>> | undefined;
  } catch (err) {
    throw new RequestFailed('internal', err instanceof Error ? err.message : String(err));
  }
  if (!reply) throw new RequestFailed('internal', 'no reply from the background');
  if (!reply.ok) throw new RequestFailed(reply.error.code, reply.error.message);
  return reply.data;
}
