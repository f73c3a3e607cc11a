import { attributeErrors } from './errors.ts';

/** The content type of a JSONP response (send it with `X-Content-Type-Options: nosniff`). */
export const JSONP_CONTENT_TYPE = 'text/javascript; charset=utf-8';

const MAX_CALLBACK_LENGTH = 128;
const CALLBACK = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;

/**
 * The JSONP callback name from the `callback` query parameter: undefined when there is none, the name when
 * it is a plain identifier path (`fn`, `my_cb`, `$.cb`, `jQuery123_456`), otherwise `attributes.invalid_callback`
 * (400). A repeated parameter (an array) and an empty value are invalid too.
 */
export function jsonpCallbackName(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (!isCallbackName(value)) throw attributeErrors.invalidCallback();
  return value;
}

function isCallbackName(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_CALLBACK_LENGTH && CALLBACK.test(value);
}

/** JSON that is also safe inside a script: no `<`, `>`, `&` or line terminators JavaScript would see. */
export function scriptSafeJson(payload: object): string {
  return JSON.stringify(payload).replace(/[<>&\u2028\u2029]/g, (character) => {
    return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/**
 * The JSONP body `/**\/name(<json>);`. The leading empty comment keeps the body from being read as
 * something other than JavaScript (the Rosetta Flash defence); the name is validated again here.
 */
export function renderJsonp(name: string, payload: object): string {
  if (!isCallbackName(name)) throw attributeErrors.invalidCallback();
  return `/**/${name}(${scriptSafeJson(payload)});`;
}
