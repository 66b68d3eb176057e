/**
 * Dispatches `runtime.sendMessage` requests: who is asking is checked first, then the request is
 * validated against its schema, then the handler runs. A missing handler is a compile error.
 */
import * as v from 'valibot';
import {
  Envelope,
  MESSAGES,
  ProtocolError,
  classifySender,
  type MessageName,
  type Reply,
  type Req,
  type Res,
  type SenderKind,
  type SenderLike,
} from '../core/protocol';

export interface HandlerContext {
  sender: SenderLike;
  kind: SenderKind;
}

export type Handlers = {
  [K in MessageName]: (req: Req<K>, ctx: HandlerContext) => Promise<Res<K>>;
};

export function createRouter(handlers: Handlers, self: { id: string; origin: string }) {
  return async function dispatch(raw: unknown, sender: SenderLike): Promise<Reply<unknown>> {
    const fail = (code: ProtocolError['code'], message: string = code): Reply<never> => ({
      ok: false,
      error: { code, message },
    });
    const kind = classifySender(sender, self);
    if (!kind) return fail('forbidden-sender');
    const envelope = v.safeParse(Envelope, raw);
    if (!envelope.success) return fail('bad-message');
    const name = envelope.output.name;
    if (!Object.hasOwn(MESSAGES, name)) return fail('unknown-message', name);
    const def = MESSAGES[name as MessageName];
    if (!(def.from as readonly SenderKind[]).includes(kind)) return fail('forbidden-sender', name);
    const req = v.safeParse(def.request, envelope.output.req);
    if (!req.success) return fail('bad-request', req.issues[0]?.message ?? name);
    try {
      const handler = handlers[name as MessageName] as (r: unknown, c: HandlerContext) => Promise<unknown>;
      return { ok: true, data: await handler(req.output, { sender, kind }) };
    } catch (err) {
      if (err instanceof ProtocolError) return fail(err.code, err.message);
      console.error(`[liveproof] ${name} failed`, err);
      return fail('internal', err instanceof Error ? err.message : String(err));
    }
  };
}
