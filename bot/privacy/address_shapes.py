"""The shapes of address parts, as regular expressions, for :mod:`bot.privacy.addresses`.

A numbered part is a number and a unit (88号, 3栋, 二单元, 七队, 十二连, 五排, 东二坊, 2支弄,
甲2号院); a named part is a suffix by class (路, 小区, 嘎查, 厝, 大学 …) whose name
addresses.py reads backwards.  Also here: what may follow a run (a room, a dashed
number, 之一), a door number, the gaps that join parts, and the words around a run
that make it no address (a vicinity: 竹溪大道边上, 滨江路和长江路交叉口; a
self-correction: 先锋路 哦不对 是…).
"""
from __future__ import annotations

import re

HOME, STREET, PLACE, NUMBERED, BESIDE = "home", "street", "place", "numbered", "beside"
NUMERALS = "零〇一二两三四五六七八九十百千"
_CN = "一二三四五六七八九十"
# A number, or a direction before 区 (天通苑西三区, 学校东区) or before a lane (东二坊, 东二巷); 甲/乙 before a
# house number (甲2号院, 百万庄大街乙11号) and 负 before a floor (负一楼) go with it.
NUM = (r"(?:[甲乙丙丁](?=[0-9" + _CN + r"]{1,4}号)|负(?=[0-9一二三四五]{1,2}[楼层]))?"
       r"(?:[0-9]{1,6}(?:-[0-9]{1,5}){0,3}[A-Za-z]?|(?<![A-Za-z])[A-Za-z][0-9]{1,3}|[" + NUMERALS + r"]{1,6}"
       r"|(?<![A-Za-z])[A-Za-z]|[东西南北中][一二三四五六七八九]?(?=区)|[东西南北][" + _CN + r"]{1,3}(?=[坊巷]))")
# 单圆, 好楼 and 8洞 are voice input's 单元, 号楼 and 8栋; A塔, A馆, 67巷 (Taiwan's lanes), 三巷 and 15街 (a market's
# rows) take letters or digits (三塔 is a pagoda); 门 counts only after a building or house number (5号院2门,
# 小东路18号3门; not 3号门).  A 兵团 company's 连 and its rows (十二连五排八号), Guangzhou's 坊 (东二坊8号),
# Baotou's 街坊 (二十一街坊), a dormitory's 舍 (13舍412), a stall (23号摊位) and a hotel room (806房间).
UNIT = (r"号楼|号院|好楼|单元|单圆|号(?:摊位|商位|铺位|档口|铺面|铺)|号(?![码线机])|栋|幢|(?<=[0-9])洞|座"
        r"|(?<=[0-9A-Za-z])[塔馆]|层|楼|室|户|房间|房|门(?![口卫市店面票诊])|支弄|弄|组团|组|大队|小队|生产队|队|社|期|区"
        r"|连(?![续着串日夜忙环锁带])|排(?![队除查放练列行])|(?<=[0-9])舍|街坊|坊|(?<=[0-9" + _CN + r"])巷|(?<=[0-9])街")
# Named suffixes by class, each with what must not follow it (村里, 园丁, 城管, 社区医生 are no places).
SUFFIXES = {
    HOME: ["小区", "花园", "公寓", "家园", "新村", "社区(?![卫医服工居民干书主活食超网])", "村委会",
           "村(?![里民口子长干委霸头上落庄镇])", "屯", "苑", "大院", "华庭", "豪庭",
           "名都(?![没不是也都还就])", "华府", "公馆", "嘎查", "住宅区"],
    PLACE: ["宿舍楼", "宿舍", "写字楼", "商务楼", "办公楼", "住宅楼", "住宅", "大厦", "广场", "国际", "工业园", "工业区",
            "园区", "厂区", "厂房", "别墅区", "板房", "园(?![丁长林艺])", "庄(?![稼园])", "城(?![里管关])", "府(?!上)", "寨",
            "湾", "郡", "邸", "厂(?![家商长里])", "坊", "岛", "厝", "垵", "垸", "坳",
            "(?<![周范包外氛突入重])围(?![着绕住墙观攻巾裙栏])"],
    # 环球中心W6区, 螺蛳湾市场B区23号, 那洒村下寨组11号, 曾厝垵西边社176号, 侨乡村寺前排18号, 贵州大学北区18栋;
    # not 在菜市场门口, 专案组, 大学生
    BESIDE: ["中心", "市场(?![监管部化营价])", "组(?![织长员成合件团])", "社(?![会保团员交长区])", "排(?![队])",
             "大学(?![生城毕])", "学院(?![派路])", "校区"],
}
# Named suffixes that count only right after another part (下寨组, 西边社, 寺前排).
AFTER_A_PART = frozenset("组 社 排".split())
CAMPUS = frozenset("大学 学院 校区".split())  # their city is part of the name: 南京工程学院, 湘潭大学
# Characters before 道 that make a word, not a street: 知道, 街道, 频道, 人行道, 楼道.
_NOT_STREET_DAO = "街知渠频味通轨隧跑难报说问霸公厚门一车国省县乡行航管赛步栈坑孔王孝佛茶剑柔书正邪黄赤布传修得悟官古要称叫笑答骂喊写讲谈顺绕改借让当引匝坡弯水楼"
_HOUSE = r"(?=[甲乙丙丁]?[0-9" + _CN + r"]{1,4}号(?![码线机]))"
# 道里区 and 道外区 are districts; 八一上段 is a street's upper part (not 上段时间); 高新南一道 is a street (not 一道);
# Beijing's 胡同 numbered 条 (北新桥头条甲3号, 西四北三条21号) and Xi'an's old markets (东木头市45号) need a house number.
_STREETS = ["大道", "大街", "路", "街(?!道|坊)", "胡同", "巷(?!子)", "(?<![" + _NOT_STREET_DAO + "])道(?![里外]区)",
            "(?<=[东西南北][" + _CN + "])道", "[上下]段(?![时子落])", "(?:头|[二三四五六七八九十]{1,3})条" + _HOUSE,
            "市" + _HOUSE]
# Every part starts with one of these; the lookahead lets the scan skip other characters fast.
_FIRST = "".join(sorted({re.sub(r"^\(\?<!\[[^]]*\]\)", "", s)[0] for ss in SUFFIXES.values() for s in ss}
                        | set("大路街胡巷道里上下东西南北中头条市甲乙丙丁负" + NUMERALS)))
COMPONENT = re.compile(
    r"(?=[0-9A-Za-z" + _FIRST + r"])(?:"
    r"(?:(?<=[村屯社组查]第)|(?<![第0-9\-" + NUMERALS + r"]))(?P<num>" + NUM + r")(?P<unit>" + UNIT + ")"
    r"|(?P<tower>(?<= )[A-Z][0-9]{1,2}(?= (?:[0-9]{3,5}(?![0-9元块万])|[0-9]{1,3}[层楼])))"  # 望京SOHO T3 2106
    r"|(?:" + "|".join(f"(?P<{kind}>{'|'.join(ss)})" for kind, ss in SUFFIXES.items()) + r")(?![区县市镇乡路街巷道])"
    r"|(?P<street>" + "|".join(_STREETS) + r")(?:[一二三四五六七八东西南北中]段|段(?=[0-9])|[东西南北中](?=[0-9]))?"
    r"(?![区县市镇乡])"
    r"|(?P<numbered>里)(?=(?: ?" + NUM + "(?:" + UNIT + r"))|[0-9]{1,4}(?:/[0-9]{1,5}){2,3}|[ ，,。！？]|$))")
BUILDING = frozenset("号楼 号院 好楼 单元 单圆 栋 幢 洞 座 室 户 房 房间 门 舍".split())
ESTATE_BEFORE = frozenset("号楼 号院 好楼 单元 栋 幢 洞 座".split())  # 保利香槟国际3栋: the estate goes too
ZONES = frozenset("区 期 组团".split())  # 劲松八区805号楼, 十里银滩二期C区12栋, 中天未来方舟 G8组团 5栋
STREET_NUMBER = frozenset("号 弄 支弄 组 队 大队 小队 生产队 社 巷 街 连 排 坊 街坊".split())
# A room after a building (…3栋 502, 华都大厦12楼1208), not an amount, age or year (3栋 2000年).
ROOM = re.compile(r"[ \-]?(?:[0-9]{2,5}|[零〇一二三四五六七八九]{3,4})(?![0-9])(?:室|号|房|户)?"
                  r"(?![元块万岁年月日点分天个次斤])")
# 俊园3-2-501, 俊园7/3/402, 168号附1号6-2 (not a date: 3/15)
DASHED = re.compile(r"[ \-]?[0-9]{1,6}(?:(?:-[0-9]{1,5}){1,3}|(?:/[0-9]{1,5}){2,3})(?![0-9])(?:室|号|房)?")
SUB_NUMBER = re.compile(r" ?之[" + _CN + r"0-9]{1,2}(?![0-9])")  # 翠微村东二巷8号 之一
# 门牌号108, 门牌是四十五号 二楼
DOOR = re.compile(r"[ :：]{0,2}(?:是|为)?[ :：]{0,2}(?:[0-9]{1,5}(?:-[0-9]{1,4})?|[零〇一二两三四五六七八九十百]{1,6})号?(?![0-9])"
                  r"(?: ?(?:[0-9]{1,2}|[" + _CN + r"]{1,3})[楼层])?")
# 阳光花园嗯三栋 (speech input's fillers), 西坝路12号附2号, 北京路北段的铁路新村, 新华村第六队, 万象城负一楼,
# 巴彦图嘎查牧业二组
CHAIN_GAP = re.compile(r"[ \-·,，]?(?:[嗯呃额啊][ ,，]?){0,2}|附|之|的|第|[牧农林渔]业")
# The end of an estate name before a building: 银海SOHO 2栋, 阳光100 3号楼 (not a plate: 云A12345 3栋)
LATIN_NAME = re.compile(r"(?<![A-Za-z0-9])(?:[A-Za-z]{2,8}|[0-9]{2,4}) ?$")
PLACE_WORD_END = frozenset("路街巷道村园府城场庄苑")  # a name that is itself a place word: 花园路, 铁路新村
CLAUSE_END = re.compile(r"[，。！？；,.!?;\n]")
ADMIN_UNIT = re.compile(r"[\u4e00-\u9fff]{1,7}?(?:自治州|自治县|街道|[省市区县镇乡州旗盟])")
DIRECT_GAP = frozenset("是在就住:： ")
LIVES_AFTER = re.compile(r"(?:那边|这边|那块|附近|一带|那里|这里)?(?:住|租房)")
# After a run without numbers: a landmark, not where one lives (就在竹溪大道边上, 滨江路和长江路交叉口,
# 阳光小区旁边), unless it says where the address after it is (滇池路万达广场旁边的保利香槟国际3栋).  里面 only
# after a street (三坊七巷里面; not 住在小区里面).
_STREET_WORD = r"(?:[和与跟及同][\u4e00-\u9fff]{1,8}?(?:大道|大街|路|街|道|巷))?的?"
VICINITY = re.compile(_STREET_WORD + r"(?:交叉口|十字路口|路口|交汇处|交界处|边上|旁边|附近|对面|周边|隔壁|拐角)")
STREET_VICINITY = re.compile(_STREET_WORD + r"(?:里面|后面|前面)")
NEAR_THERE = re.compile(r"(?:那边|这边|那块|一带)[ ,，]?")  # 祖庙路那边 福贤路升平坊12号: only before another address
# 先锋路 湘南 哦不对 是…, 麻园小区 不对 是…, 钟家村 哦不是 是…: the address before a self-correction is not the
# resident's (but 住在人民路 不是解放路 is).
_TAKEN_BACK = r"[哦哎噢啊嗯呃]?(?:不对|说错了|搞错了|错了)[ ,，]*(?:应该是|是|在)?|[哦哎噢啊嗯呃]?不是[ ,，]*(?:应该是|是|在)"
CORRECTION = re.compile(r"[ ,，]*(?:[\u4e00-\u9fff]{1,4}[ ,，]+)?(?:" + _TAKEN_BACK + r")[ ,，]*")
