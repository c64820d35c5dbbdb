"""The redaction scorer counts what a reader of the stored text would see."""
from bot.tools.redaction_eval import replaced_ranges, score

MESSAGE = {"text": "我叫张建国，住在青年路幸福小区3栋，他加我微信hx_8899",
           "spans": [{"kind": "name", "text": "张建国"}, {"kind": "address", "text": "青年路幸福小区3栋"},
                     {"kind": "wechat", "text": "hx_8899"}]}


def test_the_replaced_stretches_are_read_back_from_the_output():
    out = replaced_ranges("我叫张建国，好", "我叫[姓名]，好")
    assert out == [(2, 5, "[姓名]")]


def test_a_span_left_whole_or_in_part_is_a_miss_and_a_wrong_removal_a_false_alarm():
    def redactor(text):
        return text.replace("张建国", "[姓名]").replace("幸福小区3栋", "[住址]").replace("住在", "[姓名]")

    report = score([MESSAGE], redactor)
    assert report.per_kind["name"].found == 1 and report.per_kind["address"].found == 0
    assert report.per_kind["wechat"].recall == 0.0
    assert report.per_kind["name"].predicted == 2 and report.per_kind["name"].correct == 1  # "住在" is not a name
    assert report.per_kind["address"].precision == 1.0  # overlapping the annotated address counts


def test_a_number_placeholder_covers_but_is_not_scored_for_precision():
    item = {"text": "支付宝账号13812345678", "spans": [{"kind": "alipay", "text": "13812345678"}]}
    report = score([item], lambda t: t.replace("13812345678", "[手机号]"))
    assert report.per_kind["alipay"].found == 1 and report.per_kind["alipay"].predicted == 0
