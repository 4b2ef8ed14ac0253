/**
 * Headers of the requests Palaver originates (cards, actions, webhooks), for their senders and for
 * receivers such as the demo's site. There is no separate timestamp header: the time a receiver
 * checks is the `t=` inside the signature, the only one an attacker cannot change.
 */

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, one `v1=` per active secret.
 * @public
 */
export const SIGNATURE_HEADER = 'Palaver-Signature';
/**
 * A card or action request's id: the same on every retry of that request.
 * @public
 */
export const REQUEST_ID_HEADER = 'Palaver-Request-Id';
/**
 * A webhook's event id: the same on every delivery attempt, so receivers can drop repeats.
 * @public
 */
export const EVENT_ID_HEADER = 'Palaver-Event-Id';
