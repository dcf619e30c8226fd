export { createFakeDevice, type FakeDevice, type FakeDeviceOptions, type FakeStats } from './createFakeDevice.ts';
export { createFakeMy, type FakeMy } from './createFakeMy.ts';
export { createFakeTaro, type FakeTaro } from './createFakeTaro.ts';
export { createFakeWx, type FakeWx, type UiCall } from './createFakeWx.ts';
export { runInMiniprogramSandbox, type Sandbox } from './runInMiniprogramSandbox.ts';
export { createFakeQq, createFakeSwan, createFakeTt, createFakeUni, createWxShapedFake, type FakeWxShaped } from './wxShapedFakes.ts';
