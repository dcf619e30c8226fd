export { createWechatClient, type Code2SessionResult, type WechatClient, type WechatClientOptions } from './createWechatClient.ts';
export { WechatError, type WechatErrorReason } from './WechatError.ts';
export { decryptUserData, verifyRawDataSignature, UserDataError, type UserDataErrorReason, type DecryptUserDataInput } from './userData.ts';
export { buildWechatEmulator, type Fault, type WechatEmulatorOptions } from './emulator/buildWechatEmulator.ts';
export { startWechatEmulator, type RunningWechatEmulator } from './emulator/startWechatEmulator.ts';
export { emulatedOpenid, emulatedUnionid } from './emulator/emulatedIdentity.ts';
