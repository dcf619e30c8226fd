// Set at build time from MINIPROGRAM_API_URL (see scripts/build.ts). Tests point it at their own server.
declare const __API_URL__: string;

export const config = {
  apiUrl: __API_URL__,
};
