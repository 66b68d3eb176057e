/** The viewers and lines of the export benchmarks' one-hour session ('=cmd' tests CSV injection). */
export const AUTHORS = [
  '小鹿乱撞',
  '买家小王',
  '路人甲',
  '早到的观众',
  'momo',
  '不吃香菜',
  '快乐星球',
  '=cmd',
];
export const TEXTS = [
  '这个锅多少钱？',
  '链接在哪里',
  '已拍，什么时候发货',
  '666',
  '有没有优惠券',
  '刚才那个价格是到手价吗',
];
