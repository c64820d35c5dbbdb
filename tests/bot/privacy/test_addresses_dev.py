"""The address and name finders on their two development sets, scored span by span, kind by kind.

``addresses_dev.yml`` and ``addresses_dev_b.yml`` were written for tuning by helpers who never saw
the redactor (their headers give the annotation rules; the second covers shapes from all over
China: 兵团 companies, 嘎查, 厝/围/坊, 弄/支弄, 胡同/条/甲乙号, campuses, towers with letters).  A gold
span counts as found when the redacted output no longer holds its text and a placeholder stands
where it was; a placeholder that replaced no gold span is a false alarm.  The floors sit a little
below what the finders reach, so a change that lets a kind of address through again (a market
stall, a dormitory room, a village's 社) fails here, by kind and set.  Run the file as a script to
print the scores and every miss and false alarm, of one set or several:

    PYTHONPATH=. .venv/bin/python tests/bot/privacy/test_addresses_dev.py [tests/bot/privacy/addresses_dev_b.yml ...]
"""
from __future__ import annotations

import collections
import functools
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

from bot.privacy.redaction import PLACEHOLDERS, redact_text
from bot.tools.redaction_eval import KIND_OF_PLACEHOLDER, KindScore, load, locate, replaced_ranges

DEV_SET = Path(__file__).with_name("addresses_dev.yml")
DEV_SET_B = Path(__file__).with_name("addresses_dev_b.yml")
NAME, ADDRESS = PLACEHOLDERS["name"], PLACEHOLDERS["address"]
_IDS = {"wechat": (1.0, 1.0), "qq": (1.0, 1.0), "alipay": (1.0, 1.0), "douyin": (1.0, 1.0), "plate": (1.0, 1.0)}
# (recall, precision) floors per set; the app-id and plate kinds have a handful of spans each.  On the
# second set two addresses with 住 in them (五连住宅区9栋, 七连 职工住宅 3排 6号) go but count as missed:
# the scorer aligns their 住 with the one in [住址].
FLOORS = {
    DEV_SET.name: {"address": (0.985, 0.98), "name": (0.98, 0.98), **_IDS},
    DEV_SET_B.name: {"address": (0.975, 0.985), "name": (0.97, 0.98), **_IDS},
}
# How big each set is: messages, address and name spans, messages where nothing may go.
SIZES = {DEV_SET.name: (370, 200, 80, 60), DEV_SET_B.name: (390, 250, 75, 70)}

Miss = Tuple[str, str, str]  # (kind, text, output)


def span_scores(messages: List[dict]) -> Tuple[Dict[str, KindScore], List[Miss], List[Miss]]:
    """Per kind: gold spans found and placeholders on a gold span; and the misses and false alarms."""
    scores: Dict[str, KindScore] = collections.defaultdict(KindScore)
    misses: List[Miss] = []
    false_alarms: List[Miss] = []
    for item in messages:
        text = str(item["text"])
        output = redact_text(text)
        removed = replaced_ranges(text, output)
        gold = locate(text, item.get("spans") or [])
        for kind, (a, b) in gold:
            placed = all(any(s <= i < e for s, e, _ in removed) for i in range(a, b))
            found = placed and text[a:b] not in output
            scores[kind].annotated += 1
            scores[kind].found += found
            if not found:
                misses.append((kind, text[a:b], output))
        for s, e, placeholder in removed:
            kind = KIND_OF_PLACEHOLDER.get(placeholder)
            if kind is None:
                continue  # a number kind (phone, card …): another redactor's, scored elsewhere
            hit = any(s < b and a < e for _, (a, b) in gold)
            scores[kind].predicted += 1
            scores[kind].correct += hit
            if not hit:
                false_alarms.append((kind, text[s:e], output))
    return scores, misses, false_alarms


@functools.lru_cache(maxsize=None)
def scored(name: str) -> Tuple[Dict[str, KindScore], List[Miss], List[Miss]]:
    return span_scores(load(Path(__file__).with_name(name)))


@pytest.mark.parametrize("name", sorted(SIZES))
def test_the_sets_are_the_ones_described(name: str) -> None:
    messages = load(Path(__file__).with_name(name))
    kinds = collections.Counter(span["kind"] for m in messages for span in m.get("spans") or [])
    least_messages, least_addresses, least_names, least_empty = SIZES[name]
    assert len(messages) >= least_messages and kinds["address"] >= least_addresses and kinds["name"] >= least_names
    assert sum(not m.get("spans") for m in messages) >= least_empty  # messages where nothing may go


@pytest.mark.parametrize("name,kind", [(name, kind) for name in sorted(FLOORS) for kind in sorted(FLOORS[name])])
def test_recall_and_precision_stay_above_their_floors(name: str, kind: str) -> None:
    scores, misses, false_alarms = scored(name)
    recall_floor, precision_floor = FLOORS[name][kind]
    score = scores[kind]
    assert score.recall >= recall_floor, [m[1:] for m in misses if m[0] == kind]
    assert score.precision >= precision_floor, [f[1:] for f in false_alarms if f[0] == kind]


# What a resident would notice: their flat, stall, dorm room or village group vanishes from a
# long voice-input story; the police station, the bank branch and the place names stay.
GONE = {
    "a flat in a run-on story": (
        "我跟你说昨天五华区公安局的人打电话来说我涉嫌洗钱要我配合调查我说我没有他说那你报一下地址"
        "我就说了我住在篆塘路25号3栋2单元502然后他又让我报银行卡号", ["3栋2单元502", "篆塘路25号"]),
    "a market stall": ("我在螺蛳湾市场B区23号摆摊 有人用假的付款截图", ["B区23号"]),
    "a dormitory room": ("我住在学校北区7号宿舍楼203 有人推销兼职", ["宿舍楼203"]),
    "an office floor after a building name": ("我在东风西路123号三合商利写字楼1406上班", ["写字楼1406"]),
    "a village group after its township": ("家在寻甸县金所乡大村二社 娃娃们都在外头", ["大村二社"]),
    "a Zhuang village and hamlet": ("我家在田东县林逢镇那王村那王屯", ["那王村那王屯"]),
    "a street named after a garden": ("我在金水区花园路39号的工地上干活", ["花园路39号"]),
    "a staircase and flat": ("我住在和平里三区4号楼2门101", ["2门101"]),
    "a Tibetan name": ("我是扎西顿珠 在昆明打工", ["扎西顿珠"]),
    "a daughter's name after 是": ("我女儿是何晓雯 她在深圳上班", ["何晓雯"]),
    # the second set's shapes
    "a 兵团 company's row and house": ("我妈在一二一团 住八连3排5号 有人说要发补贴", ["八连3排5号"]),
    "a Mongolian gacha and its group": ("我额吉住在乌兰布和嘎查二组 有人打电话说她中奖了", ["嘎查二组"]),
    "a Fujian hamlet after its village": ("我阿公住在孙厝村后厝社36号 有人冒充侨办", ["后厝社36号"]),
    "a Shanghai sub-lane": ("我外婆住在威海路590弄12支弄3号 有人上门推销", ["590弄12支弄3号"]),
    "a Beijing 条 with 甲": ("我家在东四六条甲12号院 有人打电话说孙子被抓了", ["六条甲12号院"]),
    "a Guangzhou 坊 and a room": ("我租在石牌村东三坊12号502 房东换了收款码", ["东三坊12号502"]),
    "a dormitory on a campus": ("我住在湘潭大学南苑8栋412 室友被骗了", ["湘潭大学南苑8栋412"]),
    "a tower with a letter": ("公司在望京SOHO T3 2106 有人冒充老板", ["T3 2106"]),
    "a house number with a sub-number": ("寄到建新北路66号附2号 1-3 别打电话", ["附2号 1-3"]),
    "a street named after its city": ("让我去广州大道中289号金海大厦18楼面试", ["广州大道中289号"]),
    "the answer to a question about the flat": ("他问我是几号楼 我说了是九号楼", ["九号楼"]),
    "a Mongolian name": ("我叫乌兰其其格 有人说我的养老金帐户异常", ["乌兰其其格"]),
}


@pytest.mark.parametrize("text,private", GONE.values(), ids=GONE.keys())
def test_a_resident_sees_their_details_go(text: str, private: List[str]) -> None:
    output = redact_text(text)
    assert not [p for p in private if p in output], output
    assert ADDRESS in output or NAME in output


def test_the_rest_of_a_run_on_story_stays() -> None:
    output = redact_text(GONE["a flat in a run-on story"][0])
    assert "五华区公安局" in output and "银行卡号" in output and output.count(ADDRESS) == 1


KEPT = ["五华区公安局的人打电话说我涉嫌洗钱", "我在昆明", "老家是城关镇的", "五华区人民政府的人打电话说要发补贴",
        "街道办的人说要登记", "小区门口的超市老板说也被骗了", "我去农业银行盘龙支行问了", "他说他是建设银行五华支行的",
        "我们公司叫云南恒通科技有限公司", "3号那天我转了5000块给他", "在菜市场门口碰到一个人", "我在学校宿舍 有人推销",
        "火车站3号门等我", "他说他是专案组3号组长", "我住在农村 离镇上有二十多里路", "家门口有人冒充社区医生卖药",
        "他是苏宁的客服", "我是哈萨克族的", "我老伴是高血压", "门牌上写的是12号 但是快递员说找不到",
        "俺住在城关镇 前两天有人来收土地款 一户要五百",
        # landmarks, intersections, a place taken back, a kind of street, a seat, place names alone
        "我住南宁青秀区 就在竹溪大道边上", "在滨江路和长江路交叉口那个红绿灯 有人碰瓷", "我在人民路和解放路的路口被拦住",
        "俺在北京路步行街那边被人搭讪", "我爸每周去社区卫生服务中心量血压", "让我去老年活动中心二楼开会",
        "俺家是山东潍坊寿光的", "在广东进厂", "电影票是5排8座", "一连三天都有人打电话", "上海市12号线",
        "他说是西南大学的老师", "我儿子在大学城那边读书"]


@pytest.mark.parametrize("text", KEPT)
def test_place_names_offices_times_and_claims_stay(text: str) -> None:
    assert redact_text(text) == text


def main(path: Path = DEV_SET) -> None:
    scores, misses, false_alarms = span_scores(load(path))
    print(path.name)
    for kind in FLOORS.get(path.name, FLOORS[DEV_SET.name]):
        s = scores[kind]
        print(f"{kind:8} recall {s.recall:.3f} ({s.found}/{s.annotated})  "
              f"precision {s.precision:.3f} ({s.correct}/{s.predicted})")
    print("\nmissed:")
    print("\n".join(f"  {k}: {t!r} -> {o}" for k, t, o in misses) or "  none")
    print("\nremoved but not personal:")
    print("\n".join(f"  {k}: {t!r} -> {o}" for k, t, o in false_alarms) or "  none")


if __name__ == "__main__":
    import sys

    for arg in sys.argv[1:] or [str(DEV_SET)]:
        main(Path(arg))
