/**
 * Registers the offline service worker (`sw.js`, written by scripts/service-worker-plugin.ts) in production
 * builds. The URL and scope are relative, so the site works from any sub-path; registration waits for the
 * page to load so precaching never competes with the first rows; and any failure — file://, a browser or
 * private mode without service workers, a blocked script — leaves the app working online as before.
 */
export const SERVICE_WORKER_URL = './sw.js';

export interface ServiceWorkerHost {
  navigator: Navigator;
  document: Pick<Document, 'readyState'>;
  addEventListener(type: 'load', listener: () => void, options?: AddEventListenerOptions): void;
}

export function registerServiceWorker(host: ServiceWorkerHost = window, enabled: boolean = import.meta.env.PROD): void {
  if (!enabled) return;
  const register = () => {
    try {
      // Reading navigator.serviceWorker itself throws in some contexts (e.g. storage disabled).
      const container = 'serviceWorker' in host.navigator ? host.navigator.serviceWorker : undefined;
      container?.register(SERVICE_WORKER_URL, { scope: './' }).catch(() => {});
    } catch {
      // Offline support is a bonus; the app works without it.
    }
  };
  if (host.document.readyState === 'complete') register();
  else host.addEventListener('load', register, { once: true });
}
