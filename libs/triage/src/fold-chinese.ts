/**
 * Folds Chinese text for term matching without changing its length (offsets stay valid): traditional
 * characters that occur in regulator terms and cues become simplified ones (消費者協會 → 消费者协会), and a run of
 * five or more Chinese numerals becomes digits (一二三一五 → 12315), and three or more single Latin letters written apart
 * become one word followed by the spaces they lost ('c c p c' → 'ccpc   ', as '1 2 3 1 5' is joined by normaliseText).
 * Spoken and typed variants that are systematic fold too: 幺 for one in a numeral run (幺二三幺五), a hotline number
 * split into groups ('12 315', '123 45'), and the homophones of 消协 typed by pinyin input (销协, 消斜).
 */

const TRADITIONAL =
  '費協會師監訴訟體記視臺報舉權護託員處務質郵銀當際總審遞還錢電網聯號證據補賠償貨單調檢察開設應書為這們對評說話論壇讓給廣聽時間問題沒來過嗎與將關門機構頭條曉幫請訊傳憑鬧絕騙詐違規罰場屬實營業執齊備斷續點緩辦準確讀學樣認識經濟價維導專線圍縣區級陸灣國寫狀決銷訂紀檢臉';
const SIMPLIFIED =
  '费协会师监诉讼体记视台报举权护托员处务质邮银当际总审递还钱电网联号证据补赔偿货单调检察开设应书为这们对评说话论坛让给广听时间问题没来过吗与将关门机构头条晓帮请讯传凭闹绝骗诈违规罚场属实营业执齐备断续点缓办准确读学样认识经济价维导专线围县区级陆湾国写状决销订纪检脸';
const NUMERALS: Record<string, string> = { 零: '0', 〇: '0', 幺: '1', 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9' };

const FOLD = new Map<string, string>([...TRADITIONAL].map((ch, i) => [ch, [...SIMPLIFIED][i]]));
const HAS_FOLDABLE = new RegExp(`[${TRADITIONAL}]`, 'u');
const NUMERAL_RUN = /[零〇幺一二三四五六七八九]{5,}/gu;
/** A hotline number written in two or three groups ('12 315', '1 23 15'); the joined digits are followed by the spaces they lost. */
const GROUPED_HOTLINE = /(?<![0-9])(?=(?:[0-9] ?){5}(?![0-9]))(?=[0-9 ]*? )1 ?2 ?3 ?(?:1 ?5|4 ?5)(?![0-9])/gu;
/** Homophones of 消协 from pinyin input, not inside 推销协议 or 消斜面. */
const HOMOPHONES = /(?:销协|消斜)(?![议会商调助作同办力面])/gu;
const SPACED_LETTERS = /(?<![\p{L}\p{N}'])[a-z](?: [a-z]){2,}(?![\p{L}\p{N}'])/gu;

if ([...TRADITIONAL].length !== [...SIMPLIFIED].length) throw new Error('fold-chinese: the traditional and simplified lists differ in length');

export function foldChinese(text: string): string {
  let folded = HAS_FOLDABLE.test(text) ? [...text].map((ch) => FOLD.get(ch) ?? ch).join('') : text;
  folded = folded.replace(NUMERAL_RUN, (run) => [...run].map((ch) => NUMERALS[ch]).join(''));
  folded = folded.replace(GROUPED_HOTLINE, (run) => run.replaceAll(' ', '').padEnd(run.length, ' '));
  folded = folded.replace(HOMOPHONES, '消协');
  folded = folded.replace(SPACED_LETTERS, (run) => run.replaceAll(' ', '').padEnd(run.length, ' '));
  return folded;
}
