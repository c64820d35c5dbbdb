from bot.normalise import normalise


def test_traditional_characters_become_simplified():
    assert normalise("網上貸款要我先交保證金，這是詐騙嗎") == "网上贷款要我先交保证金,这是诈骗吗"


def test_full_width_letters_and_digits_become_half_width():
    assert normalise("ＷＥＣＨＡＴ转了５０００") == "wechat转了5000"


def test_emoji_and_runs_of_punctuation_are_folded():
    assert normalise("我被骗了😭😭😭怎么办？？？！！！") == "我被骗了 怎么办?!"


def test_an_emoji_sent_alone_keeps_its_meaning_and_never_folds_to_nothing():
    assert normalise("👍") == "好的"
    assert normalise("🌹🌹") == "谢谢"
    assert normalise("❌") == "不是"
    assert normalise("🍉🍉") == "🍉🍉", "no fixed meaning: kept as typed, so the tokenizer has a word"
    assert normalise("好的👍") == "好的", "beside words an emoji is still dropped"


def test_plain_text_and_empty_text_stay_as_they_are():
    assert normalise("有人让我刷单") == "有人让我刷单"
    assert normalise("") == ""


def test_written_cantonese_reads_as_mandarin():
    assert normalise("我阿妈畀人呃咗 转咗两万蚊俾个自称公安嘅人 点算") == "我阿妈给人骗了 转了两万块给个自称公安的人 怎么办"
    assert normalise("呃 蚊子咬了") == "呃 蚊子咬了", "a Mandarin filler and a mosquito stay"


def test_numbers_read_out_digit_by_digit_become_digits():
    assert normalise("那个九六幺幺零的电话") == "那个96110的电话"
    assert normalise("号码是一二三八一") == "号码是12381"
    assert normalise("赶紧打幺幺零") == "赶紧打110"
    # amounts and short words keep their characters
    assert normalise("三千零五十") == "三千零五十" and normalise("零零后") == "零零后" and normalise("五六个人") == "五六个人"


def test_a_message_typed_one_character_at_a_time_is_joined():
    assert normalise("取 钱 给 他 了 两 万") == "取钱给他了两万"
    assert normalise("没 转") == "没转"
    # ordinary spaces between words stay
    assert normalise("你好 在吗") == "你好 在吗"
    assert normalise("刚刚手机银行转了8000 现在咋整") == "刚刚手机银行转了8000 现在咋整"


def test_the_fields_words_mistyped_as_other_words_are_read_as_meant():
    # 银航 would pull to the airline scam; 眼睁码 is a voice-input 验证码.
    assert normalise("点连揭填银航卡 是真的嘛") == "点链接填银行卡 是真的嘛"
    assert normalise("叫我把眼睁码说给他") == "叫我把验证码说给他"
    assert normalise("自称克服的人打来电话 克服让我开共享") == "自称客服的人打来电话 客服让我开共享"
    # the right words stay
    assert normalise("克服困难") == "克服困难" and normalise("这个要验证吗") == "这个要验证吗"
