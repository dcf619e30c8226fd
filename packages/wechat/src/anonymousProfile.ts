// Since 2022 getUserProfile / getUserInfo answer an anonymous profile: the nickname 微信用户 and a grey
// default avatar. They say nothing about the user, so they are never stored as the user's profile.

export const anonymousNickName = '微信用户';
/** The grey default avatar's image id (in every size's URL on thirdwx.qlogo.cn). */
const defaultAvatarId = 'POgEwh4mIHO4nibH0KlMECNjjGxQUq24ZEaGT4poC6icRiccVGKSyXwibcPq4BWmiaIGuG1icwxaQX6grC9VemZoJ8rg';
export const defaultAvatarUrl = `https://thirdwx.qlogo.cn/mmopen/vi_32/${defaultAvatarId}/132`;

export const isAnonymousNickName = (nickName: string) => nickName.trim() === anonymousNickName;
export const isDefaultAvatar = (url: string) => url.includes(defaultAvatarId);
