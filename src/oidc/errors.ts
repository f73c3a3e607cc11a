// oidc-provider's error classes, for code outside src/oidc/ that must recognise them.
export { errors } from 'oidc-provider';
export type { Provider } from 'oidc-provider';
