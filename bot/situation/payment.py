"""Has the money already left?  ``yes`` / ``no`` / ``unclear`` per clause, then per message.

'yes' must be precise: a resident wrongly told "your money is gone, call 110"
is alarmed for nothing.  A clause (:mod:`.scope`) is 'yes' on

* a completed paying act: 转了, 已经汇过去, 垫了三千, 把钱放到了鞋盒里, 借了两万转给他;
* money taken or gone, said passively: 被扣走, 叫人转走了, 卡里的钱没了, 余额宝少了8900,
  白条被借了一万五, 支出两万元;
* a bare "I did" (俺给了, 我放了) right after the message spoke of money;

unless the same clause takes it back: a 差点 / 如果 / 是不是 / 才能, a negation
right before the act (没被转走, 从来没给他转过钱), an act still to come (转账之前,
转完就能解冻, 他要我去把钱转了), a doubt (好像交了, 可能被转走了), someone else
telling it (儿子说俺被骗了) or a crowd paying (群里好多家长都交了).  One other
person's payment (我同学交了) counts only when no clause says 'no'; money coming
in (往我卡里打了五千, 说是转错了) is masked by :mod:`.scope`.  Refusals,
plans, requests and questions (还没转, 正准备转, 他让我转, 要不要转, 转之前) make
'no', and a later 钱还在 / 一分没少 overrides an earlier act.  One 'yes' clause wins over 'no' clauses (转了五千后又被要求交两万，还没交),
except that buying coins or cards, drawing cash or borrowing only prepares a
payment: 我买了一万的币 还没转过去 is 'no'.
"""
from __future__ import annotations

import re
from typing import List, Optional, Tuple

from bot.situation import lexicon, scope
from bot.situation.incoming import INCOMING, LENT_ACCOUNT, STRANGER_SENT
from bot.situation.payers import ACQUAINTANCES, earlier_case_only, only_others_paid, own_worry
from bot.situation.settled import LEGIT, none_sent_after, own_errand, refunded_in_full

YES, NO, UNCLEAR = "yes", "no", "unclear"

_N = r"[\d一二两三四五六七八九十百千万]"
# Paying verbs.  转接/转告/交友/投诉/支付宝/放款 ... are other words and excluded.
_PAY = (r"转账|转帐|转(?![接告发身达交]|过来|过身)|汇款|汇(?![算总报率合])|付款|支付(?!宝|密码|码)|(?<!支)付(?!出|宝|款码|密码)"
        r"|交(?![友易流代通警往])|缴费?|(?<![冒补])充值|(?<![冒补])充(?![电满])|冲(?=了?\s*[\d一二两三四五六七八九十几]|进去|值)|垫付|垫(?![子底])"
        r"|打款|打钱|打(?=到|过去|给.{0,6}[钱元块万千]|了?[^，。\s]{0,3}款|了钱|了?[一二两三四五六七八九十几\d]+(?:笔|(?:次|回)(?![^，。！？\s]{0,2}电话)))|入金|寄(?=了?[^，。\s]{0,8}?(?:钱|现金|[\d一二两三四五六七八九十百千万]+\s*(?:万|千|百|块|元)))|投(?![诉资])|存(?=钱|进|到|了)|扫码付"
        r"|刷(?=了[^脸]{0,4}[\d万千百块元礼])|发(?=了?[^，。\s]{0,6}?红包|了\s*\d)|取(?=了现金|出来给|了.{0,4}给)|借(?=给|钱给)"
        r"|放(?=到|在|进|了)"
        # 投资 said of a pastime (在做投资, 投资赚了很多) is no payment; 投资了五万 is.
        r"|投资(?=了|过|进|到|给|\s*[\d一二两三四五六七八九十百千万]+\s*(?:万|千|百|块|元|w|k))")
PAY = "(?:" + _PAY + ")"
# 买 is a paying verb for refusals and plans (没买, 要不要买); bought, it needs what was bought.
VERB = "(?:" + _PAY + "|买(?!单)|投资)"
# 转账之前问了儿子, 转钱前: the act has not happened yet.
_BEFORE = VERB + r"(?:钱|账|款)?(?:之前|以前|前(?![天几两段面一二三四五六七八九十\d]))"
_DONE = r"(?:了|过(?![来去])|完|走了|出去了|过去了|到了|进去了)"
_PAST = sorted((t for value in ("just_now", "days", "weeks") for t in lexicon.WHEN[value] if len(t) > 1), key=len, reverse=True)
_MONEY_WORD = r"(?:钱|元|块|万|千|百|现金|红包|\d)"
_BOUGHT = r"(?:卡|币|usdt|保健品|理财|产品|基金|股票|黄金|保险|会员|课程|\d|[一二两三四五六七八九十百千万几]+[块元张的套盒瓶件份])"
# A completed paying act, verb first: 转了 / 转给他了 / 汇过去了 / 把钱打到他卡上了.
_PAID = re.compile(
    PAY + r"[^，。！？；,.!?;被]{0,10}?" + _DONE
    + r"|(?:已经|已|都|刚刚?|刚才)\s*(?:把.{0,8}?)?(?:用.{0,6}?|给.{0,10}?|在.{0,8}?)?" + PAY
    + r"|给了.{0,10}?" + _MONEY_WORD + r"|" + _MONEY_WORD + r".{0,4}?(?:交给|给)(?:他|她|对方|人家|那人|骗子|他们)?了"
    + r"|(?:交|给|转|汇|打)给了"
    # 打了六万 / 先转出去三万 / 充了3000块: a paying verb, done, then a sum of money.
    + r"|(?:打|转|汇|充|投|交|付|垫|扫|扫码付?)(?:了|出去了?|过去了?|进去了?|走了?)\s*[\d一二两三四五六七八九十几百千万,，.]+\s*(?:多|来)?\s*(?:万|千|百|块|元|w|k)"
    + r"|(?:打|转|汇|充|付|扫|扫码付?)了\s*(?!96110|12381|12345|12378|12315|110\b)\d{2,6}(?:\.\d+)?\s*$"
    # 花了三千九, 给一个说是民政局的人八百块钱, 我用公司网银打了, 取出来交给上门的人: paid, told plainly.
    + r"|花了[^，。！？\s]{0,4}?[\d一二两三四五六七八九十几]+\s*(?:多|来)?\s*(?:万|千|百|块|元|w|k)"
    + r"|(?<![想要准备打算该得让叫能])给(?:了)?(?:一个|一位|那个|这个|他|她|对方|人家)[^，。！？\s转汇打交付借]{0,14}?[\d一二两三四五六七八九十百千万]+\s*(?:多|来)?\s*(?:万|千|百|块|元)(?![^，。！？\s]{0,3}(?:的|吗|就|才))"
    + r"|(?:用|通过|拿)[^，。！？\s]{0,8}?(?:打|转|汇|付|交)(?:了|过去了)"
    + r"|取出来(?:交|给)(?:给)?(?:了)?(?:一个|一位|那个|他|她|对方|人家|上门)"
    + r"|买了.{0,8}?" + _BOUGHT + r"|买了$"
    # 借了两万转给他 / 取了五万给他: one 了 for both verbs.
    + r"|(?:借|取|套现|贷)了[^，。！？\s没未]{0,8}?(?:转|汇|打|交|给)(?:给|到|过去|他|她)"
    + r"|已经过去了|转账成功|付款成功|支付成功|越(?:投|转|充|交|陷)越(?:多|深)"
    # 发现过去两个月有好多笔转账 to 一个叫…的账户: transfers found on a relative's phone.
    + r"|(?:好多|好几|很多|[一二两三四五六七八九十\d]+)笔(?:转账|汇款|付款|扣款)\s*(?:$|给|到|to|转到|汇到)"
    # I paid with my credit card / i already transferred 5000: English in a Chinese message.
    + r"|(?<![a-z])(?:i|she|he|we|they|my (?:mom|mum|dad|mother|father|grandma|grandpa|wife|husband|son|daughter)|mom|dad)"
      r"(?: already| just)? (?:paid|transferred|wired|sent (?:him|her|them|it|the (?:money|codes?|card)))(?![a-z])|(?<![a-z])already (?:paid|transferred)"
    # 我把八万换成usdt打到她推荐的平台: the resident's own act, told without 了.
    + r"|^(?:我|俺|她|他|我妈|我爸|老人|老伴)(?:就|又|也|都|先|还)?把[^，。！？\s让叫要想]{0,12}?(?:转|汇|打|充|存)(?:到|进)[^，。！？\s]{1,12}$"
    # 钱包里的五千就转到一个叫什么子钱包的地方去了; USDT给了骗子; 我打了0.1个 (coins)
    + r"|" + PAY + r"到[^，。！？\s]{1,14}?(?:去|里)了|(?:usdt|比特币|币|钱|现金)[^，。！？\s]{0,4}?给了"
    + r"|(?:打|转)了\s*\d+(?:\.\d+)?\s*个(?=$|币|u|比特)"
    # 分三次转给他的 / 用微信付的 / 我转的钱: the past told with 的 (他转的5000 came in).
    + r"|(?<![要想该得备算他她让叫补])(?:转(?![接告发身达交])|汇|付|(?<![冒补])充|垫|交)(?:给(?:他|她|对方|骗子)|过去)?的(?:$|钱|那笔|款)"
    # 前天我把钱汇到他说的账户: a past time, then a paying verb with no request between.
    + r"|(?:" + "|".join(map(re.escape, _PAST)) + r")[^，。！？\s让叫要想准考犹算该能可会]{0,10}?" + PAY
    + r"|" + PAY + r"[^，。！？；,.!?;]{0,10}?(?:之后|以后|后(?![来面天]))"
    + r"|" + PAY + r".{0,2}?[一二两三四五六七八九十几\d]+(?:次|笔|单)"
    + r"|(?:购物|充值|礼品|点|e|京东|游戏)卡.{0,8}?(?:卡密|卡号|密码).{0,6}?(?:发|给|告诉)"
    # 借了他1.5w, 后来借给他十几万: money lent to the scammer has gone.
    + r"|借(?:给)?了?(?:他|她|对方)\s*[\d一二两三四五六七八九十几]+(?:\.\d+)?\s*(?:多|来)?\s*(?:万|千|百|块|元|w|k)"
    # 放在小区门口的垃圾桶旁边: the cash drop itself.
    + r"|^(?:就|又|然后)?放(?:在|到)[^，。！？\s]{0,10}?(?:" + "|".join(lexicon.DROP_PLACES) + r")"
)
# Money taken or gone: 被扣走, 叫人转走了, 骗了八千, 卡里的钱没了, 少了8900, 支出两万元, 钱到了骗子手里.
_LOST = re.compile(
    # 钱转过去就被拉黑了, 打过去以后人就联系不上了: the payer vanished after the money went.
    r"(?:转|汇|打|付|交|充)(?:过去|出去|完)[^，。！？\s]{0,3}?(?:就|后|以后|之后)[^，。！？\s]{0,4}?"
    r"(?:拉黑|删了|联系不上|找不到人|关机|失联|不回|跑了|没影)|"
    # 那个大师上门来拿走了: the cash was collected.
    r"(?:上门|来家|到家)(?:来)?[^，。！？\s]{0,3}?(?:拿|取|收)走了|"
    # 我扫了过后他就把我拉黑了: paid, then the other side vanished.
    r"(?:扫|转|付|交|充|汇|打)(?:了|完)(?:码)?(?:过后|以后|之后|后)[^，。！？\s]{0,4}?(?:拉黑|删了|联系不上|找不到人|关机|失联|不回|跑了|没影)|"
    r"(?:被|(?:叫|让|给)(?=人|骗子|别人|坏人|他|她|对方))[^，。！？\s]{0,10}?"
    r"(?:骗|扣|刷|盗刷|转|划|取|提|卷|借|套|拿|弄|偷|盗|透支|消费|盗用|收)(?:了|走|掉|出去|去|跑|光)"
    r"|(?:拿|卷|骗|顺|收)走了(?=\s*" + _N + r")|^(?:他|她|对方|那人|骗子)(?:就|都|全)?(?:拿|卷|骗|收)走了|(?:钱|现金|积蓄)[^，。！？\s]{0,6}?(?:拿|卷|骗|顺|收)走了|被骗的(?:$|钱|那|款)(?![^，。！？\s]{0,2}?(?:一般|通常|大多|大部分))"
    # 上门来收了一千五百块现金, 一分没剩, 卡里就剩几毛钱了, 花呗被盗刷
    r"|(?:来|上门)收了[^，。！？\s]{0,3}?" + _N + r"|一分(?:钱)?(?:都|也)?(?:没|不)剩|卡里[^，。！？\s]{0,3}?(?:就|只)剩(?:下)?(?:几|一两|两三)?(?:块|毛|分)钱?"
    r"|被(?:盗刷|盗用|冒用)(?!的?风险)"
    r"|被骗(?=" + _N + r")|骗(?:了|走了?)(?:我|他|她|我妈|我爸)?.{0,3}?" + _N + r"|扣了(?:我)?.{0,3}?" + _N
    + r"|(?:钱|余额|存款|积蓄|零钱|[块元万千百kw\d])[^，。！？\s]{0,6}?(?:没了|没有了|不见了|变成0|变成零|清零|归零|清空|莫了|冇了|没得了)"
    r"|(?<!还)(?<!没)少了\s*(?:" + _N + r"(?![个位条次张天])|一大半|一半|好多|不少|一些|一点|点)|钱(?:少了|不见了)|(?:卡|账户|卡里|账上)(?:里|上)?少了钱"
    # 取了五万放门口了: cash left where the scammer said is gone (the order itself is read in clause_status).
    + r"|(?:放|搁|扔)(?:在|到)?[^，。！？\s]{0,6}?(?:门口|门外|楼下|鞋柜|垃圾桶|花坛|信箱|门垫)(?:了|下了)$"
    # 用支付宝给了他: the channel named, the act done.
    + r"|(?:用|拿)(?:支付宝|微信|wx|vx|zfb|银行卡|手机银行|网银)[^，。！？\s]{0,4}?(?:给|付|转|打)了(?:他|她|对方|人家|过去)?$"
    r"|(?:支出|转出|扣款|消费)了?\s*" + _N + r"|money (?:is |was |has )?(?:all )?gone|scam\w*(?: \w+){0,2} gone|lost (?:all )?(?:my|her|his|our) (?:money|savings)|(?<![无没])(?<!没有)损失|亏(?:完|光)?了|血本无归|上当了|被骗了|受骗了"
    r"|钱[^，。！？\s回]{0,4}?(?<!回)到了?(?:骗子|他|她|对方|人家)的?(?:手里|手上|卡上|账上|账户)"
)
# Someone else's story: the caller's (说我的医保卡被盗刷了, 先是说医保卡被盗刷了), the news's
# (听说好多人被骗了).  她说被人骗了八百 is a relative's and counts.
_REPORTED = re.compile(r"说(?:我|你|您|俺)|(?:打电话|来电话|电话里|来电)(?:来)?说|(?:打电话|打来电话)(?:给|跟)[^，。！？\s]{1,6}?说|□+说(?:她|他|我|俺|您|你)|(?<![按照])(?:买家|卖家|客服|骗子|顾客)说(?!的)|截图(?:说|显示|上)|发了?(?:个|张)?截图|^(?:先是|对方|电话里|又|还|然后)?说|听说|据说|新闻|好多人|很多人|不少人|别人都")
# Takes a 'yes' back: the act did not happen, or the clause wonders whether it did.
_UNDO = re.compile(r"(?:转账|转|付款|汇款|交钱)的时候|差点|差一点|差一步|还差|险些|如果|要是|假如|(?<![\d一二两三四五六七八九十百千])万一|的话(?![费题筒])|是不是|会不会|怎么防|防止|怕|担心|以免|避免|只要"
                   r"|了才|了就能|了就可以|了以后才|了就(?:销|撤|放|退|解|没事)|了(?:马上|再|就)?退|了以后(?:每|就|能|可以)|想(?:给|转|汇|打)|才能|(?:以后|之后)钱还能|还好没|幸好没|好在没|没有?被骗|正准备|准备|打算|正要|想要|想(?:全|都)?把"
                   r"|了吗|过吗|了没|犹豫|考虑|否则|不然|(?:之后|以后|后)(?:\d+|几|多少)(?:个)?(?:小时|分钟|天)内|(?:之后|以后|后)多久|不(?:转|交|付|汇|打|配合|处理|操作)[^，。]{0,6}?就")
# It failed or was stopped (转账失败, 转不了, 五万没出去, 给停了), or a card bought was kept
# (还在我包里, 没刮开): a 'no' in its clause, and it overrides what the message said before.
_FAILED_WORDS = r"(?:卡|钱)还在我?(?:手上|身上|手里)|失败|撤(?:回|销)?了(?!吗)|(?:已经|成功|给)撤(?:回|销)|被退回|转不了|转不出去|没(?:转)?出去|没成功|(?:给|被)停了|没刮开|还在我?(?:包|手|兜)里|(?:放|搁|收)(?:在)?(?:家里|家)|没把卡密(?:发|给|拍|告诉)|卡密(?:还)?(?:未|没)(?:发|给)"
# The money did not (yet) go, or will go, or is only being asked for.
_NOT_PAID = re.compile(
    r"(?:没有?|未|别|不要|不想|不敢|不会|不能|不打算|不准备|不|没敢|还没有?).{0,6}?" + VERB
    + r"|(?:didn'?t|did not|haven'?t|have not|not yet|never) (?:pay|paid|transfer|send|sent|wire)"
    + r"|(?:还没有?|尚未)(?:[^，。]{0,4}?(?:去|动|进去)|钱)|(?:没有?|未|不)(?:给|借)(?:他|她|对方|骗子)?(?:一分)?钱"
    + r"|一分(?:钱)?(?:都|也)?没(?!剩)|(?:无|没有?)(?:什么)?损失|拒绝|没理|识破|挂了|挂断|听出来不对|没上当|没被骗|钱还在|还在我?(?:手上|手里|身上)|没少"
    + r"|" + VERB + r"不(?:出去|过去|了|走|成)|没(?:有)?" + VERB + r"成|" + VERB + r"(?:钱)?(?:之前|以前)"
    + r"|准备|打算|正要|正准备|正在[^，。]{0,4}?(?:" + VERB + r"|取)|(?:应该|应不应该|该不该|用不用).{0,6}?" + VERB
    + r"|想(?:要)?(?:给.{0,6}|把[^，。！？\s]{0,10}?)?" + VERB + r"|(?:要不要|该不该|能不能|可不可以).{0,6}?(?:" + VERB + r"|钱)"
    + r"|可以" + VERB + r"吗|能" + VERB + r"吗|还在(?:犹豫|考虑)|考虑"
    + r"|(?:让|叫|要|喊|逼|催|要求|需要|让我先|得先)(?:我|我们|您|你)?.{0,12}?" + VERB
    + r"|拦截|(?<!没)(?<!没能)拦住|(?<!没)(?<!没能)拦下|被拦|(?:差点|差一点|差一步|险些).{0,8}?(?:" + VERB + r"|被骗|上当|取)|还好没|幸好没|好在没"
    + r"|明天|待会|等下|过几天|还没有?(?:发|给|寄)(?:出去|过去|他|她|给他|给她)?$|" + _BEFORE
    + r"|" + _FAILED_WORDS + r"|提示[^，。！？\s]{0,6}?(?:异常|风险|可疑)|卡密没(?:发|给|刮)"
    # The contact ended or nothing was done (拉黑了, 卸载了, 再没打来, 没操作, 还在想), or nothing was lost.
    + r"|拉黑|卸载|删了他|删掉了?他|再没打来|没再打来|没再联系|不理他|没理|没(?:有)?(?:操作|弄|取|点|下载?|联系|申请|去)"
    + r"|还在想|(?:还没有?|没敢|不敢)(?:拍|刮开?|扫)|(?:卡号|卡密|号码)还没有?(?:发|给|念|报|告诉)|还没有?(?:把)?[^，。！？\s]{0,6}?(?:卡号|卡密|号码)[^，。！？\s]{0,2}?(?:发给|念|报给|告诉)|还没有?念"
    # 她还没退, 俺还没还, 她还没拿, 他没输, 俺没带钱, 还没开通: nothing handed back or over yet.
    + r"|(?:她|他|俺|我|我爸|我妈|老人)?(?:还|都|也)?没(?:有)?(?:退|还|拿|输|带钱|开通|按[^，。！？\s]{0,8}?操作)(?:回去|给他|给她)?$|还没(?:说|跟我|找我)要钱|(?:还)?没(?:发现|看到|见)(?:少|扣|丢)|没(?:少|丢)钱|钱没(?:少|丢)"
)
# 转完就能解冻, 转过去之后会还给我, 转了钱再说: the scammer's promise, a payment still to come.
_PROMISED = re.compile(
    PAY + r"[^，。！？\s]{0,8}?(?:了|完|过去|之后|以后|后)(?:钱)?(?:[^，。！？\s]{0,4}?(?:就|才|便)"
    r"(?:能|可以|会|返|退|还|解冻|没事|安全|放款|提现)(?![^，。！？\s]{0,2}?不)|(?:给我|会|就会)?(?:返|退还?给我|还给我)|能(?!不能)|可以|会(?!儿))"
    r"|(?:了|完)(?:钱)?再(?:说|给|办|放|提)?"
    r"|" + PAY + r"完了?(?:以后|之后)?(?:他|她|对方)?(?:会|就会|就能|才能|再)(?!发现|觉得|知道|想)")
# 没有被划走, 从来没给他转过钱, 一块钱都没转过: a negation right before the act (没多久就转了 is none).
_NEGATED = re.compile(r"(?:没有?|未曾?|从没|并没|不曾|不承认|否认)(?!多久|几天|过多久|一会)(?:被|给|往|向|把|让|叫|再|又)?[^，。！？\s就才便]{0,4}$"
                      r"|(?<![要得])不(?:再|敢|想|肯|愿意|会)?$|别$|不要$")  # 我就不转了, 劝我别转了, 不会转的
# 好像交了, 可能被转走了: the resident (or the relative telling it) is not sure it happened.
_HEDGE = re.compile(r"(?<!不)可能|好像|好象|似乎|也许|或许|说不定|不确定|不一定")
# 有没有转钱给他, 是不是转出去了, 投了多少钱: a question, neither yes nor no.
_ASKED = re.compile(r"(?:有没有|是否|是不是)[^，。！？\s]{0,8}?" + VERB + r"|" + VERB + r"了?(?:多少|几次|几回|没有)(?:钱)?(?:$|吗|呢|她|他|我)")
# 交没交, 卡密发没发, 付没付成功: the teller does not know whether it went.
_DOUBT = re.compile(r"(转|交|付|发|给|投|充|买|汇|打|取|扫)没\1|(?:转|交|付|投|充|汇|给|买)了(?:钱)?没(?:有)?(?![^，。！？\s]{0,2}(?:钱|多少))|(?:转|交|付|汇|投|充)(?:了)?没(?:有)?(?:转|交|付|汇|投|充)?(?:成功|出去|过去)")
# 群里好多家长都交了, 别人都转了: a crowd paid, never the resident.
_CROWD = re.compile(r"^(?:我们)?[^，。！？\s]{0,6}?(?:好多|很多|不少|好几个?|十几个|几十个)(?:人|同学|家长|老人|工友|同事|邻居|老头|老太太|大爷|大妈|阿姨)"
                    r"|^(?:听说|群里|班上|班里|村里|小区里?|单位里?|公司里?|厂里|宿舍|我们[^，。！？\s]{0,8}?有)?(?:已经|都)?的?"
                    r"(?:好多|很多|不少|好几个?|其他|其它|别的|大家|其余|别人|人家|有(?:的|些|几个|十几个|几十个)?(?:家长|同学|工友|同事|老人|邻居))(?![的次回笔钱天万千百块遍])")
# 我同学交了报名费, 隔壁王阿姨被骗了两万: someone else's payment; it counts only if the resident refuses none.
_SOMEONE_ELSE = re.compile(r"^(?:听说)?(?:是)?(?:我的?|我们|她|他|我女儿的?|我儿子的?|孩子的?)?(?:班|单位|村|厂|公司|群)?(?:里|上)?(?:有个|有一个|一个|那个|这个)?"
                           r"(?:隔壁|楼下|对门|" + ACQUAINTANCES +
                           r"|[^，。！？\s我]{1,2}(?:阿姨|大爷|大妈))")
# 钱还在, 一分没少, 没被转走: the money is still there, which overrides an earlier act (剩下的钱还在 does not).
_INTACT = re.compile(r"钱[^，。！？\s]{0,4}?(?:还在|都在|没少|没丢|没动|没被)|(?:账户|卡|余额)(?:上|里)?(?:的钱)?(?:也|都|还)?没(?:少|变|动)|(?:一分|一点|一块|分文)[^，。！？\s]{0,3}?没(?:少|丢|动)"
                     r"|余额没变|没(?:有)?被(?:转|划|扣|取|盗|刷|动)")
_PART = re.compile(r"剩|其他|其余|另外|别的|还有")
OTHERS = "others"  # a clause verdict only: YES when no clause says NO
_ONWARD = re.compile(r"^(?:又|再|就|然后|最后)?(?:从[^，。！？\s]{1,8})?(?:转|汇|打)(?:到|给|进)(?:了)?[^，。！？\s]{0,10}?(?:账户|卡|他|她|钱包)")
_CORRECTED = re.compile(r"不对|说错|我是说|搞错了|^哎|哦不|噢不|^不是|其实(?:是|没|她|他)|又说没|还是没|原来(?!的)(?:是)?|一问|自己的另一张")
_FAILED = re.compile(_FAILED_WORDS)
_ANOTHER = re.compile(r"还有一笔|另(?:外)?一笔|另外(?:那|一)?笔|第二笔|其中一笔")
# 然后他说金额不对: the caller's "不对" takes nothing back.
_THEIR_WORDS = re.compile(r"(?:然后|后来|结果)?(?:他|她|对方|那人|客服|骗子|人家)(?:又|还|就)?(?:说|讲)")
_HEARD = re.compile(r"^听[^，。！？\s]{0,6}说$")
_BLOCKED = re.compile(r"(?:拦|劝)(?:下|住|回)(?:来)?了|(?:抢|夺)(?:了)?回?过来了?|被[^，。！？\s]{0,6}(?:拦|劝)(?:下|住|回)|没(?:让|叫)(?:我|她|他)(?:转|汇|付)")
_PARTLY = re.compile(r"一半|部分|一些|剩下|剩余|已经过去|已经转了|转了[\d一二两三四五六七八九十]")
DOUBT = "doubt"  # a clause verdict only: 交没交 takes back a bought card or the act just before it

# Buying coins or cards, drawing cash, borrowing: money readied, not yet handed over.
# 买了卡, 取了现金, 转到支付宝了 (one's own wallet): ready to go, not gone until handed over.
_PREPARED = re.compile(r"^(?:买|取|借|套现|贷|准备|转(?:到|进)了?(?:自己的|我的|俺的)?(?:支付宝|微信|零钱|余额宝|银行卡|卡)(?!给))")
_NOT_HANDED = re.compile(r"(?:卡号|卡密|号码|卡)?(?:还没有?|没有?|未|尚未)(?:把[^，。！？\s]{0,6}?)?[^，。！？\s]{0,4}?(?:转|汇|打|给|发|交|付|充|存|放|刮|拍|念|报)")
# 俺给了 / 我放了 / 照做了: the whole clause is "I did", the message says what.
_ECHO = re.compile(r"^(?:我|俺|他|她|老人|我妈|我爸|老伴)?(?:就|也|都|全|全都|全部|还是|最后|只好|当时)?"
                   r"(?:用[^，。！？\s]{1,5}?)?(?:给|放|照做|照办|按他说的做|打|转|交|汇|付|充|赔)(?:了|给他了|他了|过去了)$")
# I did it / so i did: the English "I did", after the message spoke of money.
_ECHO_EN = re.compile(r"^(?:and |so |then )?i (?:did it|did|did that|followed it)\s*[.!。！]*$")
# Gift cards: their codes are the money (卡密发给他了, 俺刮开念给他了, 俺拍了 after 把卡背面拍给他).
_CARDS = re.compile(r"卡密(?!码)|(?:充值|购物|礼品|京东|游戏|点|e|E|steam|超市|话费)卡")
_CODES_SENT = re.compile(r"(?:卡密|密码|卡号)[^，。！？\s]{0,6}?(?:发|给|念|告诉|拍|报)(?:给)?(?:了|他了|她了|过去了?|[^，。！？\s]{1,16}?了$)"
                         r"|(?:发|念|拍|报)(?:给)?了[^，。！？\s]{0,8}?(?:卡密|张)|^(?:发|念|拍)给了"
                         r"|^(?:我|俺|她|他|我妈|我爸|老人)?(?:都|也|就|全)?(?:发|拍|念|报)了$")
_CODES_KEPT = re.compile(r"没|不|别|让|叫|要|怎么|吗|？|\?")
# 那个警察说一会来小区门口拿, 说孙子的朋友今晚来取, 等那人来拿 还没来: the cash is still at home.
_PICKUP_PENDING = re.compile(r"(?:一会儿?|待会儿?|等会儿?|今晚|晚上|明天|马上|等(?:他|她|那人|人|对方)?|还没)[^，。！？\s]{0,8}?(?:来|上门|过来)[^，。！？\s]{0,6}?(?:取|拿|收)"
                             r"|(?:等|还没)[^，。！？\s]{0,6}?来(?:取|拿|收)?|(?:取|拿)(?:钱|现金)?的人还没来")
_BARE_SUM = re.compile(r"[\d一二两三四五六七八九十百千万几]+\s*(?:多|来)?\s*(?:万|千|百|块|元|w|k)?(?:钱)?(?:$|[\s，,。])")
_GENERIC_LOSS = re.compile(r"被(?:人|骗子)?骗了?|上当了|受骗了|损失")
_MONEY_CONTEXT = re.compile(r"钱|现金|gift ?card|card code|卡密|礼品卡|充值卡|[学手续介绍保证加急]费|红包|白条|花呗|借呗|备用金|网贷|" + _N + r"(?:万|千|百|块|元)")
# 我没给 / 还没借: a refusal of money only where the message speaks of money (验证码我没给 is not).
_NOT_GIVEN = re.compile(r"(?:还没有?|没有?|未|尚未|不)[^，。！？\s]{0,4}?(?:给|借)")
# 他说我要是不转钱就抓我: the caller's threat says nothing about what the resident did.
_THREAT = re.compile(r"^(?:现在|然后|后来|今天|又|还)?(?:他|她|对方|电话里|那人)?(?:还|又)?(?:说|讲|威胁)[^，。]*?(?:要是|如果|假如|的话|不然|否则|不[^，。]{0,6}?就)")


def clause_status(clause: str, before: str = "") -> Tuple[Optional[str], Optional[Tuple[int, int]]]:
    """The clause's verdict and the span that decided it (None when it says nothing).

    ``before`` is the message up to the clause: the money a bare 我没给 refuses.
    """
    clause = scope.for_payment(clause)
    if re.match(r"(?:就|又|然后)?放(?:在|到)", clause) and re.search(r"(?:让|叫|要)(?:我|俺|她|他)?[^，。！？,.!?\s]{0,16}[\s，。,]*$", before):
        return None, None  # 他叫我把钱取出来 放在门口的鞋柜里: the order
    if _DOUBT.search(clause):
        return DOUBT, _DOUBT.search(clause).span()
    if re.search(r"(?:我|俺|他|她)?(?:就)?打(?:了)?过去了?$", clause) and (
            re.search(r"电话|联系", before[-20:]) or (re.fullmatch(r"\s*(?:我|俺)?(?:就)?打(?:了)?过去了?", clause)
                                                    and not re.search(r"钱|块|元|万|千|\d", before))):
        return None, None  # 让我打电话 我打过去了: a call, not a payment
    paid = _LOST.search(clause) or _PAID.search(clause)
    if paid and _NEGATED.search(clause[: paid.start()]):
        return NO, paid.span()
    if paid and (re.match(r"给了?(?:我|俺)(?!妈|爸|爹|娘|家|的|儿|闺|女|老)", clause[paid.start():])
                 or re.match(r"转(?:入|进来)", clause[paid.start():])):
        return None, None  # 老乡…给了俺三百: money paid to the resident
    if paid and (INCOMING.search(clause[: paid.start()]) or LENT_ACCOUNT.search(clause[: paid.start()])
                 or (STRANGER_SENT.match(clause) and "收到" in before[-24:])):
        return None, None  # 先往俺卡上打了五百块, 把vx借给同学用了: money came in, an account was lent
    if paid and not re.search(r"钱|款|万|千|块|元", clause[:paid.start()]) and re.match(r"转(?:到|接(?:到|给)?)了?(?:一个|个|那个)?(?:所谓的)?[^，。！？\s]{0,3}?(?:警官|警察|民警|公安|检察|法官|专员|领导|主任|科长|处长)",
                         clause[paid.start():]) and not re.search(PAY, clause[paid.end() + 2:]):
        return None, None  # 电话转到了一个警官: the call, not the money
    if paid and re.search(r"不(?:了|出去|过去|成|进去)", clause[paid.start():paid.end() + 3]):
        return NO, paid.span()  # 买家付不了款, 钱转不出去
    if paid and re.match(r"(?:是)?(?:我|俺)自己(?:转|存)的$", clause) and re.search(r"(?:到|进)(?:我|俺)自己的", before):
        return NO, paid.span()  # 转到俺自己的银行卡上了 … 是俺自己转的
    reported = paid and (_REPORTED.search(clause[: paid.start()]) or _HEDGE.search(clause[: paid.end()])
                         or _CROWD.match(clause))
    earlier = _PAID.search(clause[: paid.start()]) if reported else None
    if earlier and not (_REPORTED.search(clause[: earlier.start()]) or _HEDGE.search(clause[: earlier.end()])):
        # 俺就去转了十二万 刚才俺闺女一听说俺被骗了: the act comes before the hearsay word.
        paid, reported = earlier, None
    blocked = re.search(r"拦", clause) and not re.search(r"一半|部分|一些|已经过去", clause)
    undone = _UNDO.search(clause) or _PROMISED.search(clause) or re.search(_BEFORE, clause)
    asked = _ASKED.search(clause)
    if paid and asked and asked.start() <= paid.start() < asked.end():
        return None, None  # 我问她投了多少钱
    if paid and _FAILED.search(clause) and not _PARTLY.search(clause):
        return NO, paid.span()  # 俺就把汇款撤了
    if paid and not undone and not reported and not blocked:
        requested = re.search(r"(?:让|叫|要|喊|要求|逼|催)(?:我|我们|俺)|(?:让|叫|要求|逼|催)(?:他|她)(?=先|再)|(?:让|叫|逼|催|要求)(?=转|汇|交|付|充|把|往|买|存|投)|(?:说|需|还|又|得)要(?:先|再)?"
                              r"|(?<![不想])要(?:先|再)|必须|得先", clause)
        # 他让我把钱转到卡上了 is ambiguous; only 转了 right after the request counts.
        tail = clause[requested.end():] if requested else ""
        # 他要我去把钱转了 is the order itself, not its outcome.
        # 让我在借呗借了两万转给他: the borrowing done, then the transfer, is the outcome too.
        done = re.search(VERB + r"了|(?:借|取|贷|套现)了[^，。！？\s没未]{0,8}?(?:转|汇|打|交|给)(?:给|到|过去|他|她)", tail) and not re.search(r"把[^，。！？\s]{0,8}?" + VERB + r"了$", tail)
        if not requested or requested.start() > paid.start() or done:
            if _PREPARED.match(paid.group()) and _NOT_HANDED.search(clause[paid.end():]):
                return NO, paid.span()  # 买了一万的币还没转过去
            if _SOMEONE_ELSE.match(clause):
                # 我同学跟我说她被骗了: hearsay about someone outside the family says nothing.
                return (None if re.search(r"(?:跟|和|对)我说|告诉我", clause[: paid.start()]) else OTHERS), paid.span()
            return YES, paid.span()
    if _ASKED.search(clause):
        return None, None
    if _THREAT.search(clause):
        return None, None
    refused = _NOT_PAID.search(clause) or _INTACT.search(clause) or (_MONEY_CONTEXT.search(before + clause) and _NOT_GIVEN.search(clause))
    if refused:
        return NO, refused.span()
    if paid and not reported and not _LOST.match(clause, paid.start()):
        return NO, paid.span()  # 差点就转了, 交了才能放款; 不配合的话钱就没了 says nothing
    return None, None


# A whole message that only says it was not paid: 没有给, 俺还没转呢.
_BARE_REFUSAL = re.compile(r"(?:我|俺)?(?:还|都|也|可)?(?:没有?|没敢)(?:给|转|交|付|汇|打|扫|充)(?:钱|过)?(?:呢|啊|哦|呀)?[!！。.]*"
                           r"(?:没有?(?:给|转|交|付|汇|打|扫|充))?(?:\s*就问问)?")
_SENT_OFF = re.compile(r"(?:转|汇|打|付|交|充)(?:过去|出去|完)(?:了)?(?:以后|之后|后|过后)?$|(?:扫|转|付|交|充|汇|打)(?:了|完)(?:码)?(?:过后|以后|之后|后)$")
_VANISHED = re.compile(r"^(?:他|她|对方|人|那人)?(?:就|马上|立马|转眼)?[^，。！？\s]{0,4}?(?:拉黑|删了|联系不上|找不到人?|关机|失联|不回|跑了|没影)")


def _vanished_after_paying(clauses_: List[Tuple[int, str]], verdicts: list) -> list:
    """钱打过去 他就把我拉黑了: the clause splits at 他, but the money went before he vanished."""
    for (offset, clause), (after, following) in zip(clauses_, clauses_[1:]):
        if _SENT_OFF.search(clause) and _VANISHED.match(following) and not re.search(r"让|叫|要|没|不|准备|想|如果|要是", clause):
            verdicts = [v for v in verdicts if not (v[2] == NO and after <= v[0] < after + len(following))]
            verdicts.append((offset, offset + len(clause), YES))
    return sorted(verdicts)


def money_sent(text: str, bounds: Optional[List[Tuple[int, str]]] = None) -> Tuple[str, List[Tuple[int, int, str]]]:
    """The message's verdict and every clause verdict as (start, end, status); ``bounds`` are its clauses."""
    if _BARE_REFUSAL.fullmatch(text.strip()):
        return NO, [(0, len(text), NO)]  # 没有给 / 俺还没转呢, sent on its own
    verdicts, intact_after = [], None
    clauses_ = list(bounds if bounds is not None else scope.clauses(text))
    masked = scope.mask_quotes(text)  # "你转了就没事了 转了马上放款": the scammer's words, over several clauses
    for offset, raw in clauses_:
        clause = masked[offset:offset + len(raw)]
        status, span = clause_status(clause, masked[:offset])
        if status is None and (_ECHO.match(clause) or _ECHO_EN.match(clause)) and (_MONEY_CONTEXT.search(text[:offset]) or _BARE_SUM.match(
                text[offset + len(raw):].lstrip(" ，,。"))):
            status, span = YES, (0, len(clause))  # 让我…转给他 照做了 一千五
        codes = _CODES_SENT.search(clause) if status in (None, NO) and _CARDS.search(text) else None
        if codes and not _CODES_KEPT.search(clause[:codes.start()]) and not re.search(r"没|未", codes.group()):
            status, span = YES, codes.span()
        if status:
            verdicts.append((offset + span[0], offset + span[1], status))
        if status == NO and _INTACT.search(clause) and not _PART.search(clause):
            intact_after = offset
    doubts = [v for v in verdicts if v[2] == DOUBT]
    if doubts:
        # 买了十张卡 卡密发没发我不知道 / 我扫了 不知道付没付成功: the last word is a doubt.
        first_doubt = doubts[0][0]
        verdicts = [v for v in verdicts if v[2] != DOUBT and not (
            v[2] in (YES, OTHERS) and (_PREPARED.match(text[v[0]:v[1]]) or v[0] > first_doubt - 16))]
    refused = any(v[2] == NO for v in verdicts) or own_worry(text)
    verdicts = [v if v[2] != OTHERS else (v[0], v[1], YES) for v in verdicts if v[2] != OTHERS or not refused]
    if intact_after is not None and any(v[2] == YES and v[0] < intact_after for v in verdicts):
        # 卡里的钱被转走了 后来银行说钱还在: the later word on the money stands.
        verdicts = [v if v[2] != YES else (v[0], v[1], NO) for v in verdicts]
    # 借出来一万 从支付宝转到他说的账户 / 然后又从银行卡转给他: the onward leg, told without 了.
    for offset, clause in clauses_:
        if _ONWARD.match(clause) and not re.search(r"让|叫|要|逼|催|说(?!的)|没|不", clause) \
                and (any(v[2] == YES for v in verdicts if v[1] <= offset)
                     or re.search(r"(?:借|取|贷|套现)(?:了|出来|出)|(?:转|提现)(?:了)?[^，。！？\s]{0,6}?到(?:银行卡|卡里|卡上)",
                                  text[max(0, offset - 24):offset])) \
                and not any(v[2] == NO for v in verdicts if v[0] > offset):
            verdicts.append((offset, offset + len(clause), YES))
    for index, (offset, clause) in enumerate(clauses_):
        corrected = _CORRECTED.search(clause)
        if corrected and not (corrected.group() == "不对" and _THEIR_WORDS.match(clause)) and any(v[2] == NO and v[0] >= offset for v in verdicts):
            # 我给了他四千…不对 我没给: the resident takes it back.
            verdicts = [v for v in verdicts if not (v[2] == YES and v[0] < offset)]
        if _HEARD.match(clause) and index + 1 < len(clauses_):
            # 听我姐说 她婆婆被人骗了: someone else's story.
            start, end = clauses_[index + 1][0], clauses_[index + 1][0] + len(clauses_[index + 1][1])
            verdicts = [v for v in verdicts if not (v[2] == YES and start <= v[0] < end)]
    pending = [offset for offset, c in clauses_ if _PICKUP_PENDING.search(c)]
    if pending:
        # 把五万取出来了 那个警察说一会来拿: cash drawn or set down is still the resident's.
        verdicts = [v if not (v[2] == YES and v[0] < pending[-1] and (_PREPARED.match(text[v[0]:v[1]]) or re.match(r"放|取|装", text[v[0]:v[1]])))
                    else (v[0], v[1], NO) for v in verdicts]
        if re.search(r"取|现金|钱", text[:pending[-1]]):
            verdicts.append((pending[-1], pending[-1] + 1, NO))
    # 付了六百多 还有一笔两千的没成功: only the other payment failed.
    failed = [offset for offset, c in clauses_ if _FAILED.search(c) and not _PARTLY.search(c) and not _ANOTHER.search(c)]
    if failed:
        verdicts = [v if not (v[2] == YES and v[0] < failed[-1]) else (v[0], v[1], NO) for v in verdicts]
    if any(_BLOCKED.search(c) for _, c in clauses_) and not any(_PARTLY.search(c) for _, c in clauses_):
        # 被我爸拦下来了 我妈都点到付款了: stopped before the money left.
        verdicts = [v if v[2] != YES else (v[0], v[1], NO) for v in verdicts]
    none_sent = none_sent_after(clauses_)
    if none_sent:
        verdicts = [v if not (v[2] == YES and v[0] < none_sent[-1]) else (v[0], v[1], NO) for v in verdicts]
    yes = [v for v in verdicts if v[2] == YES]
    if yes and all(_GENERIC_LOSS.fullmatch(text[start:end]) and not re.match(r"\s*" + _N, text[end:])
                   for start, end, _ in yes) \
            and any(v[2] == NO and re.search(r"没|未|拦|失败|还在", text[v[0]:v[1]]) for v in verdicts):
        # 这才知道俺被骗了 钱没取: "被骗" without a sum, and the money stayed.
        return NO, [v for v in verdicts if v[2] != YES]
    if doubts and not yes:
        return UNCLEAR, verdicts  # 她交没交我不知道: the teller does not know
    if yes and all(_GENERIC_LOSS.fullmatch(text[start:end]) for start, end, _ in yes) \
            and re.search(r"不知道[^，。！？]{0,8}?(?:有没有|是不是|转没转|交没交|给没给)", text):
        return UNCLEAR, verdicts  # 她哭着说她被人骗了 … 不知道她到底有没有转钱
    if yes and all(_PREPARED.match(text[start:end]) for start, end, _ in yes):
        last = yes[-1][1]
        if any(status == NO and start > last and _NOT_HANDED.match(text[start:end]) for start, end, status in verdicts):
            return NO, [v if v[2] != YES else (v[0], v[1], NO) for v in verdicts]
    verdicts = _vanished_after_paying(clauses_, verdicts)
    yes = [v for v in verdicts if v[2] == YES]
    legit = [offset for offset, c in clauses_ if LEGIT.search(c)]
    if legit and yes:
        # 话费是我自己充的 100 昨天充的 跟这个没关系: the payments up to the last such word are the resident's own.
        verdicts = [v for v in verdicts if not (v[2] == YES and v[0] < scope.clause_end(clauses_, legit[-1]))]
        yes = [v for v in verdicts if v[2] == YES]
    if yes and (refunded_in_full(text, clauses_, yes) or own_errand(text)):
        # 钱已经全额退回到我微信了 / 给孙子转了这个月的生活费 这个没问题吧: nothing is gone now.
        return NO, [v if v[2] != YES else (v[0], v[1], NO) for v in verdicts]
    if yes and (only_others_paid(text, clauses_, yes) or earlier_case_only(clauses_, yes)):
        return NO, [v if v[2] != YES else (v[0], v[1], NO) for v in verdicts]
    if yes:
        return YES, verdicts
    if any(v[2] == NO for v in verdicts):
        return NO, verdicts
    return UNCLEAR, verdicts
