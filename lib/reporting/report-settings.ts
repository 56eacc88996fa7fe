import { storage } from 'wxt/utils/storage';

/**
 * The reporting endpoint the user configured in the report form (an
 * `https:` URL), or '' for none. Reports go there only when the user presses
 * Send.
 */
export const reportEndpointSetting = storage.defineItem<string>('local:reportEndpoint', {
  fallback: '',
  version: 1,
});
