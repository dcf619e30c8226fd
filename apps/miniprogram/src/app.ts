import { getApi } from './lib/api';

App({
  onLaunch() {
    // The seed's checkLogs: ask the server once at launch; a session it no longer accepts is cleared.
    getApi()
      .checkSession()
      .catch((error: unknown) => console.warn('auth.check failed; keeping the stored session', error));
  },
});
