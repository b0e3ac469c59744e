import { allLiveRoutes, envelopeSchema, type LiveAction, type LiveRoute } from '@agora/proto';

const routesByType = new Map<string, LiveRoute>(allLiveRoutes.map((r) => [r.event.type, r]));

/**
 * Reads one message from `live.allEvents` (a JSON envelope) and answers what its proto live route
 * (`allLiveRoutes`) asks of the sockets. Events without a route give nothing (the bus carries more
 * than we relay); a malformed envelope, or a routed event whose version or data does not match its
 * definition, gives nothing and is reported to `onInvalid`.
 */
export function routeLiveEvent(
  raw: string,
  onInvalid: (reason: string, type?: string) => void = () => undefined,
  /** True for an envelope id already relayed: a re-publish of it gives nothing. */
  isRepeat: (id: string) => boolean = () => false,
): readonly LiveAction[] {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    onInvalid('not JSON');
    return [];
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) {
    onInvalid('not an event envelope');
    return [];
  }
  const { id, type, v, data } = envelope.data;
  const route = routesByType.get(type);
  if (!route || isRepeat(id)) return [];
  if (v !== route.event.v) {
    onInvalid(`version ${v}, proto declares ${route.event.v}`, type);
    return [];
  }
  const actions = route.actionsFor(data);
  if (!actions) onInvalid('data does not match its schema', type);
  return actions ?? [];
}
