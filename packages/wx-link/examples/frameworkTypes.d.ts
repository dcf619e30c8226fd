// Stand-ins for the frameworks' own typings, which this repository does not install (@dcloudio/types
// declares the global `uni`; @tarojs/taro types its default export): only what the examples touch.
declare const uni: import('@wxtrpc/wx-link').WxLike;

declare module '@tarojs/taro' {
  const Taro: import('@wxtrpc/wx-link').TaroLike;
  export default Taro;
}
