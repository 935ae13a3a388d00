// The pages update themselves: `refresh` runs now and then every interval (?refresh=ms in the
// address changes it; default 5 s). The footer says when the numbers were last fetched, and a
// banner says when the server cannot be reached (the last numbers stay on the page).
import { ApiError } from './api.js';
import { byId } from './dom.js';
import { formatTime } from './format.js';

export function refreshInterval(defaultMs = 5000): number {
  const q = Number(new URLSearchParams(location.search).get('refresh'));
  return Number.isFinite(q) && q >= 250 ? q : defaultMs;
}

export function startPolling(refresh: () => Promise<void>, intervalMs = refreshInterval()): void {
  const banner = byId('error-banner');
  const updated = byId('updated');
  let running = false;
  let rounds = 0;
  const tick = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      await refresh();
      rounds++;
      banner.hidden = true;
      updated.textContent = `updated ${formatTime(Date.now())} UTC, every ${intervalMs / 1000} s`;
      // The browser tests wait for this to grow.
      document.body.dataset.refreshes = String(rounds);
    } catch (err) {
      banner.hidden = false;
      banner.textContent = err instanceof ApiError ? `${err.code}: ${err.message}` : `the page failed to update: ${(err as Error).message}`;
      console.error(err);
    } finally {
      running = false;
    }
  };
  void tick();
  setInterval(() => void tick(), intervalMs);
}
