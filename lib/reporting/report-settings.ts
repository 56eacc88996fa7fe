import { storage } from 'wxt/utils/storage';
import { definePrivateItem, moveToPrivateStore } from '../settings/private-store';

const isString = (value: unknown): value is string => typeof value === 'string';

/**
 * Where version 1 kept the endpoint: `storage.local`, which content scripts
 * can write, so a page that got code into one could redirect the next
 * report. Read only to move the value into the private store.
 */
export const legacyReportEndpointSetting = storage.defineItem<string>('local:reportEndpoint', {
  fallback: '',
  version: 1,
});

/**
 * The reporting endpoint the user configured in the report form (an
 * `https:` URL), or '' for none, in the private store (out of content
 * scripts' reach). Reports go there only when the user presses Send.
 */
export const reportEndpointItem = definePrivateItem<string>('reportEndpoint', { fallback: '', valid: isString });

/** The bearer token sent with reports to that endpoint, or '' for none; private like the endpoint. */
export const reportTokenItem = definePrivateItem<string>('reportToken', { fallback: '', valid: isString });

/**
 * Moves an endpoint version 1 kept in `storage.local` into the private store.
 * Cheap and idempotent (one read, one removal), so every reader runs it first.
 */
export function migrateReportSettings(): Promise<void> {
  return moveToPrivateStore(legacyReportEndpointSetting, reportEndpointItem);
}

/** The endpoint and token, after the move from version 1's storage. */
export async function readReportSettings(): Promise<{ endpoint: string; token: string }> {
  await migrateReportSettings();
  const [endpoint, token] = await Promise.all([reportEndpointItem.getValue(), reportTokenItem.getValue()]);
  return { endpoint, token };
}

/** Stores the endpoint and token the user sent with. */
export async function saveReportSettings(endpoint: string, token: string): Promise<void> {
  await Promise.all([reportEndpointItem.setValue(endpoint), reportTokenItem.setValue(token)]);
}

/** Forgets the endpoint and token, wherever a version kept them ("Clear all data"). */
export async function clearReportSettings(): Promise<void> {
  await Promise.all([
    reportEndpointItem.removeValue(),
    reportTokenItem.removeValue(),
    legacyReportEndpointSetting.removeValue({ removeMeta: true }),
  ]);
}
