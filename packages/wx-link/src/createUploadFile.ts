import type { MiniProgramPlatform, PlatformResponse } from './MiniProgramPlatform.ts';
import type { SignalLike, TaskRunner } from './createTaskRunner.ts';

export interface UploadFileOptions {
  /** The endpoint, e.g. https://api.example.com/avatars */
  url: string;
  /** A local file path (from chooseImage, chooseMedia, …). */
  filePath: string;
  /** The form field the file goes in. */
  name: string;
  formData?: Record<string, string>;
  signal?: SignalLike;
}

/** Any HTTP status; the body parsed when it is JSON, else its text. */
export interface UploadFileResult {
  status: number;
  body: unknown;
}

const parsed = ({ status, body }: PlatformResponse): UploadFileResult => {
  try {
    return { status, body: JSON.parse(body) };
  } catch {
    return { status, body };
  }
};

/**
 * Uploads through the platform's uploadFile in the same task slots as requests, with the same Bearer
 * header and timeout. A 401 runs the shared single-flight login (unless the token changed since the upload
 * was sent) and retries once; if logging in fails, the 401 is the answer.
 */
export function createUploadFile(options: {
  platform: MiniProgramPlatform;
  run: TaskRunner;
  headers: () => Record<string, string>;
  token: () => string | undefined;
  login: () => Promise<unknown>;
}) {
  const { platform, run } = options;
  const send = (upload: NonNullable<MiniProgramPlatform['uploadFile']>, { url, filePath, name, formData, signal }: UploadFileOptions) => {
    const token = options.token();
    const headers = options.headers();
    return run<PlatformResponse>((callbacks) => upload({ url, filePath, name, headers, ...(formData && { formData }), ...callbacks }), signal).then((response) => ({
      token,
      response,
    }));
  };

  return async function uploadFile(upload: UploadFileOptions): Promise<UploadFileResult> {
    const platformUpload = platform.uploadFile?.bind(platform);
    if (!platformUpload) throw new Error(`${platform.name}: this platform adapter has no uploadFile`);
    const first = await send(platformUpload, upload);
    if (first.response.status !== 401) return parsed(first.response);
    if (options.token() === first.token) {
      try {
        await options.login();
      } catch {
        return parsed(first.response);
      }
    }
    return parsed((await send(platformUpload, upload)).response);
  };
}
