import type { Text } from '../../../core/index.ts';

/** The words of the points pages (residents' and merchants'), Japanese first. */
export const words = {
  zone: { ja: 'インターネット接続系', en: 'Internet zone' },
  points: { ja: 'ポイント', en: 'Points' },
  pointsUnit: { ja: '{n} pt', en: '{n} pt' },
  errorPrefix: { ja: 'エラー：', en: 'Error: ' },
  errorSummary: { ja: '入力内容を確認してください', en: 'There is a problem' },
  backToPoints: { ja: 'ポイントのトップへ戻る', en: 'Back to my points' },
  // Home
  homeTitle: { ja: '自治体ポイント', en: 'Municipal points' },
  setUpLead: {
    ja: 'ポイントを使うには、はじめにマイキーIDを設定します。マイキーIDはマイナンバー（個人番号）とは別の番号で、ポイントや施設の利用カードをまとめるためだけに使います。',
    en: 'To use points, first set up your MyKey ID. It is not your My Number: it only ties your points and facility cards together.',
  },
  setUp: { ja: 'マイキーIDを設定する', en: 'Set up my MyKey ID' },
  setUpDone: { ja: 'マイキーIDを設定しました。', en: 'Your MyKey ID is set up.' },
  myKeyId: { ja: 'マイキーID', en: 'MyKey ID' },
  available: { ja: '使えるポイント', en: 'Points you can use' },
  held: { ja: 'うち注文で確保中', en: 'Held for orders' },
  actions: { ja: 'できること', en: 'What you can do' },
  payAction: { ja: 'QRコードで支払う', en: 'Pay by QR code' },
  payCodeAction: { ja: 'コードを見せて支払う', en: 'Pay by showing a code' },
  shopAction: { ja: '特産品を注文する・寄附する', en: 'Order local products or donate' },
  premiumAction: { ja: 'プレミアムポイントを購入する', en: 'Buy premium points' },
  historyAction: { ja: '利用履歴を見る', en: 'See my history' },
  codeHeading: { ja: '参加証明コードを入力する', en: 'Enter a participation code' },
  codeLabel: { ja: '参加証明コード（12文字）', en: 'Participation code (12 characters)' },
  codeHint: {
    ja: 'イベントやボランティアで受け取ったカードに書かれたコードです。ハイフンはなくてもかまいません。',
    en: 'The code on the card you were given at the event. Hyphens are optional.',
  },
  codeSubmit: { ja: 'ポイントを受け取る', en: 'Get the points' },
  codeUnknown: {
    ja: 'このコードは見つかりません。1文字ずつ確かめてください（0とO、1とIは同じに読みます）。',
    en: 'No such code. Check it letter by letter (0 and O, 1 and I are read alike).',
  },
  codeSpent: {
    ja: 'このコードは使用済みか、有効期限が切れています。',
    en: 'This code has been used or has expired.',
  },
  codeCapped: {
    ja: 'この活動で受け取れるポイントの上限に達しています。',
    en: 'You have had the most points this activity gives in this period.',
  },
  codeNotEligible: {
    ja: 'このコードの事業は対象年齢が決まっており、住民基本台帳の記録では対象外です。',
    en: 'This programme has an age limit, and by the resident registry you are not within it.',
  },
  codeChecking: {
    ja: 'この事業は対象年齢が決まっているため、住民基本台帳で確認しています。1分ほどしてから、もう一度「ポイントを受け取る」を押してください。',
    en: 'This programme has an age limit: the resident registry is being asked. Press “Get the points” again in a minute.',
  },
  codeDone: { ja: '{programme}で {n} pt を受け取りました。', en: 'You got {n} pt for {programme}.' },
  // Pay
  payTitle: { ja: 'QRコードで支払う', en: 'Pay by QR code' },
  scanLead: {
    ja: 'お店のQRコードをカメラで読み取るか、QRコードの写真を選んでください。',
    en: "Scan the shop's QR code with your camera, or choose a photo of it.",
  },
  scanCamera: { ja: 'カメラで読み取る', en: 'Scan with the camera' },
  scanStop: { ja: '読み取りをやめる', en: 'Stop scanning' },
  scanPhoto: { ja: 'QRコードの写真を選ぶ', en: 'Choose a photo of the QR code' },
  scanNotFound: {
    ja: 'QRコードが見つかりませんでした。QRコード全体が写るようにしてください。',
    en: 'No QR code was found. Make sure the whole code is in the picture.',
  },
  scanNoCamera: {
    ja: 'カメラを使えませんでした。写真を選んでください。',
    en: 'The camera could not be used. Choose a photo instead.',
  },
  qrText: {
    ja: 'QRコードの内容（読み取れないときは貼り付け）',
    en: 'QR code contents (paste it if it cannot be scanned)',
  },
  qrNext: { ja: '次へ', en: 'Next' },
  confirmTitle: { ja: '支払い内容の確認', en: 'Check the payment' },
  shop: { ja: 'お店', en: 'Shop' },
  amount: { ja: '支払うポイント', en: 'Points to pay' },
  amountHint: {
    ja: 'お店の方に伝えられた金額を入力してください（1 pt = 1円）。',
    en: 'Type the amount the shop told you (1 pt = 1 yen).',
  },
  payNow: { ja: '支払う', en: 'Pay' },
  paidTitle: { ja: 'お支払いが完了しました', en: 'Payment complete' },
  paidLead: { ja: 'この画面をお店の方に見せてください。', en: 'Show this screen to the shop.' },
  paymentRef: { ja: '取引番号', en: 'Payment reference' },
  paidAt: { ja: '日時', en: 'Date and time' },
  balanceAfter: { ja: '残りのポイント', en: 'Points left' },
  // Pay by showing a code (利用者提示型)
  payCodeTitle: { ja: 'コードを見せて支払う', en: 'Pay by showing a code' },
  payCodeLead: {
    ja: 'この画面をお店の方に見せて、読み取ってもらってください。お店が入力した金額がポイントで支払われます。コードは1回だけ使えます。',
    en: 'Show this screen at the till to be read. The amount the shop enters is paid with your points. The code works once.',
  },
  payCodeHeading: { ja: 'お支払い用コード', en: 'Code to pay' },
  payCodeLabel: { ja: 'お支払い用コードのQRコード', en: 'QR code of the code to pay' },
  payCodeExpires: { ja: '{time} まで有効（5分間）', en: 'Valid until {time} (5 minutes)' },
  payCodeWarning: {
    ja: 'コードを他の人に教えたり、写真で送ったりしないでください。',
    en: 'Do not tell anyone the code or send a picture of it.',
  },
  payCodeNew: { ja: '新しいコードを表示する', en: 'Show a new code' },
  payCodeHistory: { ja: '支払いの結果は利用履歴で確認できます。', en: 'Your history shows the payment.' },
  // Shop
  shopTitle: { ja: '特産品ショップ', en: 'Local products shop' },
  shopLead: {
    ja: 'ポイントで地域の特産品を注文できます。注文したポイントは、お店が発送するまで確保され、取り消すと戻ります。',
    en: 'Order local products with points. The points are held until the shop ships, and come back if you cancel.',
  },
  product: { ja: '商品', en: 'Product' },
  price: { ja: '価格', en: 'Price' },
  stock: { ja: '在庫', en: 'In stock' },
  soldOut: { ja: '売り切れ', en: 'Sold out' },
  quantity: { ja: '数量', en: 'Quantity' },
  order: { ja: '注文する', en: 'Place the order' },
  orderNothing: { ja: '数量を1つ以上入力してください。', en: 'Choose a quantity of at least one product.' },
  orderDone: {
    ja: 'ご注文を承りました（注文番号 {ref}）。{n} pt を確保しました。',
    en: 'Order {ref} placed: {n} pt held.',
  },
  noProducts: { ja: '現在、販売中の商品はありません。', en: 'Nothing is on sale at the moment.' },
  myOrders: { ja: 'ご注文の履歴', en: 'My orders' },
  orderRef: { ja: '注文番号', en: 'Order' },
  orderState: { ja: '状態', en: 'State' },
  cancelOrder: { ja: '取り消す', en: 'Cancel' },
  cancelDone: {
    ja: '注文を取り消しました。ポイントは戻りました。',
    en: 'The order is cancelled; the points are back.',
  },
  donateHeading: { ja: 'ポイントで寄附する', en: 'Donate points' },
  donateLead: { ja: 'ポイントを市区町村への寄附に使えます。', en: 'Give points to your municipality.' },
  donateAmount: { ja: '寄附するポイント', en: 'Points to give' },
  donate: { ja: '寄附する', en: 'Donate' },
  donateDone: { ja: '{n} pt を寄附しました。ありがとうございました。', en: 'You donated {n} pt. Thank you.' },
  // Premium
  premiumTitle: { ja: 'プレミアムポイントの購入', en: 'Buy premium points' },
  premiumLead: {
    ja: '購入額に市区町村からのプレミアム分が上乗せされたポイントを購入できます（1 pt = 1円）。お一人あたりの購入上限と、全体の予算があります。',
    en: 'Buy points with a premium from your municipality on top (1 pt = 1 yen). There is a limit per person and a budget for everyone.',
  },
  noOffers: {
    ja: '現在、販売中のプレミアムポイントはありません。',
    en: 'No premium points are on sale now.',
  },
  offerTerms: {
    ja: '1口 {price}円で {points} pt（プレミアム {premium} pt）。あと {left} 口まで購入できます。',
    en: '{price} yen buys {points} pt ({premium} pt premium) per unit. You may buy {left} more.',
  },
  offerExpires: { ja: 'ポイントの利用期限：{day}', en: 'Spend the points by {day}' },
  offerSoldOut: { ja: '予算に達したため、販売を終了しました。', en: 'Sold out: the budget is used up.' },
  offerMaxed: { ja: '購入上限に達しています。', en: 'You have bought the most you may.' },
  units: { ja: '口数', en: 'Units' },
  cardNumber: { ja: 'クレジットカード番号', en: 'Card number' },
  cardHint: {
    ja: '本番では決済代行会社の画面で入力し、カード番号はMachiに届きません（この環境はテスト用の決済です）。',
    en: "In production the card is typed on the payment provider's form and never reaches Machi (this is the test provider).",
  },
  buy: { ja: '購入する', en: 'Buy' },
  bought: {
    ja: '{yen}円をお支払いいただき、{points} pt（うちプレミアム {premium} pt）を受け取りました。',
    en: 'You paid {yen} yen and got {points} pt ({premium} pt premium).',
  },
  declined: {
    ja: 'このカードはご利用になれませんでした。別のカードをお試しください。',
    en: 'The card was declined. Try another card.',
  },
  paymentUnavailable: {
    ja: '決済サービスにつながりませんでした。しばらくしてからもう一度お試しください（二重に請求されることはありません）。',
    en: 'The payment service could not be reached. Try again later (you will not be charged twice).',
  },
  premiumCapReached: {
    ja: 'お一人あたりの購入上限を超えます。口数を減らしてください。',
    en: 'That is more than one person may buy. Choose fewer units.',
  },
  premiumBudgetExhausted: {
    ja: '予算に達したため購入できませんでした。',
    en: 'The budget is used up: nothing was bought.',
  },
  // History
  historyTitle: { ja: '利用履歴', en: 'History' },
  noHistory: { ja: 'まだ履歴はありません。', en: 'Nothing yet.' },
  when: { ja: '日時', en: 'When' },
  what: { ja: '内容', en: 'What' },
  change: { ja: 'ポイント', en: 'Points' },
  // Errors in the resident's words
  insufficient: { ja: 'ポイントが足りません。', en: 'You do not have enough points.' },
  qrInvalid: {
    ja: 'このQRコードはお支払いに使えません。お店のQRコードをもう一度読み取ってください。',
    en: "This QR code cannot be used to pay. Scan the shop's code again.",
  },
  merchantUnknown: {
    ja: 'このお店では、お住まいの市区町村のポイントを使えません。',
    en: "This shop does not take your municipality's points.",
  },
  amountInvalid: {
    ja: 'ポイントは1以上の整数で入力してください。',
    en: 'Type a whole number of points, 1 or more.',
  },
} satisfies Record<string, Text>;

/** Why points moved, as the history says it. */
export const transferLabels: Record<string, Text> = {
  earning: { ja: 'ポイント獲得', en: 'Points earned' },
  exchange: { ja: '他社ポイントからの交換', en: 'Exchanged from partner points' },
  purchase: { ja: 'ポイント購入', en: 'Points bought' },
  premium: { ja: 'プレミアムポイント', en: 'Premium points' },
  payment: { ja: 'お支払い', en: 'Payment' },
  refund: { ja: '返金', en: 'Refund' },
  order: { ja: '特産品の注文', en: 'Shop order' },
  donation: { ja: '寄附', en: 'Donation' },
  expiry: { ja: '有効期限切れ', en: 'Expired' },
  adjustment: { ja: '調整', en: 'Adjustment' },
};

export const transferStates: Record<string, Text> = {
  posted: { ja: '確定', en: 'Done' },
  pending: { ja: '確保中', en: 'Held' },
  voided: { ja: '取消', en: 'Cancelled' },
  expired: { ja: '期限切れ', en: 'Expired' },
};

export const orderStates: Record<string, Text> = {
  reserved: { ja: '発送待ち（ポイント確保中）', en: 'Awaiting shipment (points held)' },
  confirmed: { ja: '発送済み', en: 'Shipped' },
  cancelled: { ja: '取消', en: 'Cancelled' },
  expired: { ja: '期限切れ（取消）', en: 'Expired (cancelled)' },
};

/** The words of the merchant's tablet pages. */
export const merchantWords = {
  signInTitle: { ja: 'お店の端末にサインイン', en: 'Sign in the shop terminal' },
  signInLead: {
    ja: '市区町村から受け取った端末キー（mk_ で始まる文字列）を入力してください。この端末に記憶され、サインアウトするまで有効です。',
    en: 'Enter the terminal key your municipality gave you (it starts with mk_). This device keeps it until you sign out.',
  },
  terminalKey: { ja: '端末キー', en: 'Terminal key' },
  signIn: { ja: 'サインイン', en: 'Sign in' },
  keyRefused: { ja: '端末キーが正しくありません。', en: 'That terminal key is not valid.' },
  signOut: { ja: 'サインアウト', en: 'Sign out' },
  title: { ja: 'お店の端末', en: 'Shop terminal' },
  qrHeading: { ja: 'お支払い用QRコード', en: 'QR code to pay' },
  qrStatic: {
    ja: 'お客様が金額を入力します（店頭掲示用）。',
    en: 'The customer types the amount (for display at the counter).',
  },
  qrDynamic: { ja: 'この金額で支払われます：{n} pt', en: 'The customer pays exactly {n} pt.' },
  qrLabel: { ja: '{shop} のお支払い用QRコード', en: 'QR code to pay {shop}' },
  chargeAmount: { ja: '金額を指定する（pt）', en: 'Set the amount (pt)' },
  chargeHint: {
    ja: '空欄にすると、お客様が金額を入力するQRコードになります。',
    en: 'Leave empty for a code where the customer types the amount.',
  },
  showCode: { ja: 'QRコードを表示', en: 'Show the code' },
  todayHeading: { ja: '本日の受取', en: "Today's payments" },
  refresh: { ja: '最新の情報に更新', en: 'Refresh' },
  noPayments: { ja: '本日のお支払いはまだありません。', en: 'No payments yet today.' },
  time: { ja: '時刻', en: 'Time' },
  ref: { ja: '取引番号', en: 'Reference' },
  amount: { ja: 'ポイント', en: 'Points' },
  refunded: { ja: '返金', en: 'Refunded' },
  refund: { ja: '返金する', en: 'Refund' },
  refundDone: { ja: '取引 {ref} を返金しました。', en: 'Payment {ref} refunded.' },
  totals: {
    ja: '合計 {total} pt（返金 {refunded} pt、差引 {net} pt）',
    en: 'Total {total} pt (refunded {refunded} pt, net {net} pt)',
  },
  ordersHeading: { ja: '発送待ちの注文', en: 'Orders to ship' },
  noOrders: { ja: '発送待ちの注文はありません。', en: 'No orders to ship.' },
  items: { ja: '品目', en: 'Items' },
  confirmOrder: { ja: '発送済みにする', en: 'Mark as shipped' },
  orderConfirmed: { ja: '注文 {ref} を発送済みにしました。', en: 'Order {ref} marked as shipped.' },
  // A customer's one-time code (利用者提示型)
  customerCodeHeading: { ja: 'お客様のコードで受け取る', en: "Take a payment by the customer's code" },
  customerCode: { ja: 'お客様のコード（20桁の数字）', en: "Customer's code (20 digits)" },
  customerCodeHint: {
    ja: 'お客様のスマートフォンに表示されたコードを読み取るか、入力してください。空白はあってもかまいません。',
    en: "Scan or type the code on the customer's phone. Spaces are fine.",
  },
  customerCodeAmount: { ja: '受け取るポイント', en: 'Points to take' },
  takePayment: { ja: '受け取る', en: 'Take the payment' },
  chargeDone: { ja: '{n} pt を受け取りました（取引番号 {ref}）。', en: 'Received {n} pt (reference {ref}).' },
  customerCodeMistyped: {
    ja: 'コードの読み取りに誤りがあります。もう一度読み取るか、入力し直してください。',
    en: 'The code was not read right. Scan or type it again.',
  },
  customerCodeUnknown: {
    ja: 'このコードは見つかりません。お客様に新しいコードを表示してもらってください。',
    en: 'No such code. Ask the customer to show a new one.',
  },
  customerCodeSpent: {
    ja: 'このコードは使用済みか、有効期限が切れています。お客様に新しいコードを表示してもらってください。',
    en: 'This code has been used or has expired. Ask the customer to show a new one.',
  },
  formStale: {
    ja: 'この画面は古くなっています。「最新の情報に更新」を押してから、もう一度受け取ってください。',
    en: 'This page is out of date. Refresh it, then take the payment again.',
  },
  customerInsufficient: {
    ja: 'お客様のポイントが足りません。コードはそのまま使えます。',
    en: 'The customer does not have enough points. The code can still be used.',
  },
  shopSuspended: {
    ja: 'このお店は現在ポイントを受け付けていません。市区町村にお問い合わせください。',
    en: 'This shop does not take points at the moment. Ask your municipality.',
  },
} satisfies Record<string, Text>;
