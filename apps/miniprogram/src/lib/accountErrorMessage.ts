import { errorData } from './api';
import { AvatarUploadError } from './AvatarUploadError';

const byReason: Record<string, string> = {
  PHONE_CODE_INVALID: '授权已失效，请重新绑定',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  CONTENT_RISKY: '昵称含不当内容，请修改',
  WECHAT_UNAVAILABLE: '微信服务繁忙，请稍后再试',
  WECHAT_TIMEOUT: '微信服务繁忙，请稍后再试',
  WECHAT_RATE_LIMITED: '操作太频繁，请稍后再试',
  AVATAR_TYPE_UNSUPPORTED: '请选择 JPG、PNG 或 WebP 图片',
  AVATAR_TOO_LARGE: '图片不能超过 256KB',
  AVATAR_NOT_FOUND: '头像上传失败，请重试',
  SESSION_INVALID: '登录已失效，请重新登录',
};

/** The toast for a failed account call (bindPhone, updateProfile) or avatar upload, from the server's reason. */
export function accountErrorMessage(error: unknown): string {
  if (error instanceof AvatarUploadError) return (error.reason && byReason[error.reason]) || (error.status === 429 ? byReason.RATE_LIMITED! : '头像上传失败，请重试');
  const data = errorData(error);
  if (!data) return '网络异常，请稍后再试';
  if (data.reason && byReason[data.reason]) return byReason[data.reason]!;
  if (data.code === 'TOO_MANY_REQUESTS') return byReason.RATE_LIMITED!;
  return '操作失败，请重试';
}
