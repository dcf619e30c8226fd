import { isUnauthorized } from './api';

/** What a page shows when loading failed: the re-login could not renew the session, or anything else. */
export const loadErrorMessage = (error: unknown) => (isUnauthorized(error) ? '登录已失效，请重新登录' : '加载失败，请检查网络后重试');
