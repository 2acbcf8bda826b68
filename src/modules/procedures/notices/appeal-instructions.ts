/**
 * The 教示 (instruction on remedies) a written disposition must carry when it can be contested,
 * worded after the model texts the Ministry of Internal Affairs published with the 2014
 * revision of the 行政不服審査法. Two remedies, two deadlines each:
 * - 審査請求: within 3 months of the day after learning of the disposition, and never after
 *   1 year from the day after it (行政不服審査法第18条第1項・第2項); the 教示 itself is
 *   required by 同法第82条第1項.
 * - 取消訴訟: within 6 months of the day after learning of it, never after 1 year
 *   (行政事件訴訟法第14条第1項・第2項); after a 審査請求, counted from its 裁決 instead
 *   (同条第3項). The defendant is the public body the 処分庁 belongs to (同法第11条第1項),
 *   represented by its head; the 教示 is required by 同法第46条第1項.
 */
export interface AppealParties {
  /** The 審査庁 (where the 審査請求 goes): the municipality's head unless a law says otherwise. */
  readonly reviewAuthority: string;
  /** The defendant in a 取消訴訟: the municipality (千代田区). */
  readonly defendant: string;
  /** Who represents it in court: its head (千代田区長). */
  readonly representative: string;
}

export function appealInstructions(parties: AppealParties): { review: string; lawsuit: string } {
  const review =
    'この処分に不服がある場合には、この処分があったことを知った日の翌日から起算して3か月以内に、' +
    `${parties.reviewAuthority}に対して審査請求をすることができます` +
    '（なお、この処分があったことを知った日の翌日から起算して3か月以内であっても、' +
    'この処分の日の翌日から起算して1年を経過すると審査請求をすることができなくなります。）。';
  const lawsuit =
    'この処分の取消しの訴えは、この処分があったことを知った日の翌日から起算して6か月以内に、' +
    `${parties.defendant}を被告として（訴訟において${parties.defendant}を代表する者は${parties.representative}となります。）` +
    '提起することができます（なお、この処分があったことを知った日の翌日から起算して6か月以内であっても、' +
    'この処分の日の翌日から起算して1年を経過すると処分の取消しの訴えを提起することができなくなります。）。' +
    'ただし、上記1の審査請求をした場合には、処分の取消しの訴えは、その審査請求に対する裁決があったことを' +
    '知った日の翌日から起算して6か月以内に提起することができます（なお、その審査請求に対する裁決があった' +
    'ことを知った日の翌日から起算して6か月以内であっても、その裁決の日の翌日から起算して1年を経過すると' +
    '処分の取消しの訴えを提起することができなくなります。）。';
  return { review, lawsuit };
}
