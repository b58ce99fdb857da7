"""Personal data in public text: names masked however they are spelled, numbers and e-mails found however
they are written, and the numbers real decisions are full of left alone."""

import datetime as dt
import itertools
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.privacy import (
    KINDS,
    Masker,
    is_id_card,
    luhn,
    mask_in_text,
    mask_name,
    normalize_name,
    personal_data,
    redact,
)

# ---------------------------------------------------------------- the guard: what it catches

CAUGHT = [
    # mobile
    ("13800138000", "mobile"),
    ("138 0013 8000", "mobile"),
    ("138-0013-8000", "mobile"),
    ("138 - 0013 - 8000", "mobile"),
    ("138　0013　8000", "mobile"),  # full-width spaces
    ("138－0013－8000", "mobile"),  # full-width hyphens
    ("138\u200b0013\u200b8000", "mobile"),  # zero-width spaces
    ("1380013\u00ad8000", "mobile"),  # soft hyphen
    ("+8613800138000", "mobile"),
    ("+86 138 0013 8000", "mobile"),
    ("86-13800138000", "mobile"),
    ("0086 13800138000", "mobile"),
    ("(+86)13800138000", "mobile"),
    ("（＋８６）１３８　００１３　８０００", "mobile"),
    ("138.0013.8000", "mobile"),
    ("１３８．００１３．８０００", "mobile"),
    ("1380 013 8000", "mobile"),
    ("13800 138000", "mobile"),
    ("1380013 8000", "mobile"),
    ("+86 (138) 0013 8000", "mobile"),
    ("(138) 0013 8000", "mobile"),
    ("1 3 8 0 0 1 3 8 0 0 0", "mobile"),  # every digit apart
    # mobile in Chinese digit words, alone or mixed with Arabic digits
    ("一三八〇〇一三八〇〇〇", "mobile"),
    ("一三八零零一三八零零零", "mobile"),
    ("壹叁捌零零壹叁捌零零零", "mobile"),
    ("138〇〇13八000", "mobile"),
    ("幺三八 〇〇一三 八〇〇〇", "mobile"),
    ("一三八○○一三八○○○", "mobile"),  # ○ WHITE CIRCLE, typed for 〇
    ("１３８００１３８０００", "mobile"),  # full-width digits
    ("𝟏𝟑𝟖𝟎𝟎𝟏𝟑𝟖𝟎𝟎𝟎", "mobile"),  # mathematical digits: astral, NFKC folds them too
    # ID card: 18 with check character, old 15
    ("110101199003077774", "id"),
    ("110101 19900307 7774", "id"),
    ("110101-19900307-7774", "id"),
    ("110101 1990 0307 7774", "id"),
    ("110101　19900307　7774", "id"),
    ("１１０１０１１９９００３０７７７７４", "id"),
    ("11010519491231002X", "id"),
    ("11010519491231002x", "id"),
    ("11010519491231002×", "id"),  # the input method's × for X
    ("11010519491231002χ", "id"),  # the soft keyboard's Greek chi
    ("11010519491231002╳", "id"),
    ("110105 19491231 002×", "id"),
    ("110105 19491231 002X", "id"),
    ("110105 19491231 002 X", "id"),
    ("110105491231002", "id"),
    ("110105 491231 002", "id"),
    # any grouping of an 18-character ID: the check character keeps chance hits rare
    ("110105 199003 071001", "id"),
    ("110105-199003-071001", "id"),
    ("110105.19900307.1001", "id"),
    ("110105199003\n071001", "id"),  # pasted from a PDF, broken across lines
    ("110105 19900307\r\n  1001", "id"),
    ("1 1 0 1 0 5 1 9 9 0 0 3 0 7 1 0 0 1", "id"),
    ("一一〇一〇五一九九〇〇三〇七一〇〇一", "id"),
    ("一一〇一〇五一九四九一二三一〇〇二X", "id"),
    # bank card: Luhn when written as one run, any 16-19 digits when grouped in fours
    ("6222021234567890128", "bank"),
    ("6222 0202 0000 1234 567", "bank"),
    ("6222-0202-0000-1234", "bank"),
    ("6222　0202　0000　1234　567", "bank"),
    # e-mail
    ("zhang@example.com", "email"),
    ("zhang＠example.com", "email"),
    ("ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ", "email"),
    ("zhang.san_1@mail.example.com.cn", "email"),
    ("zhang @ example.com", "email"),
    ("13800138000@163.com", "email"),  # one finding: the address, not also the phone in it
    ("zhangsan@qq。com", "email"),  # Chinese IME full stops for the dot
    ("zhangsan@qq．com", "email"),
    ("zhangsan@qq｡com", "email"),
    ("zhangsan ＠ 163 ． com", "email"),
    ("zhang.san @ mail . example . com", "email"),
]


@pytest.mark.parametrize(("spelling", "kind"), CAUGHT)
def test_the_guard_finds_each_spelling_and_reports_it_as_written(spelling, kind):
    text = f"经查，当事人（联系方式：{spelling}）于2025年3月8日在示例县兴隆镇人民路摆摊。"
    [(found_kind, offset, match)] = personal_data(text)
    assert found_kind == kind
    assert match == spelling.strip()
    assert text[offset:offset + len(match)] == match


@pytest.mark.parametrize(("written", "kind", "number"), [
    ("ID110105199003071001", "id", "110105199003071001"),
    ("id：110105199003071001", "id", "110105199003071001"),
    ("IDNo110105199003071001", "id", "110105199003071001"),
    ("SFZ11010519491231002X", "id", "11010519491231002X"),
    ("身份证110105199003071001", "id", "110105199003071001"),
    ("证件号110105199003071001", "id", "110105199003071001"),
    ("No.110105199003071001", "id", "110105199003071001"),
    ("A110105199003071001", "id", "110105199003071001"),  # a lone letter, then a valid ID
    ("No13800138000", "mobile", "13800138000"),
    ("Tel13800138000", "mobile", "13800138000"),
    ("Mobile：138 0013 8000", "mobile", "138 0013 8000"),
    ("一13800138000", "mobile", "13800138000"),  # a Chinese digit word glued before is not part of it
    ("2025 13800138000", "mobile", "13800138000"),  # a number before, apart: the phone is whole groups
    ("电话0571-87654321 13800138000", "mobile", "13800138000"),
])
def test_a_number_after_a_word_announcing_it_is_found(written, kind, number):
    text = f"经查，当事人{written}于2025年3月8日在示例县兴隆镇摆摊。"
    [(found_kind, offset, match)] = personal_data(text)
    assert (found_kind, match) == (kind, number)
    assert text[offset:offset + len(match)] == match


NOT_CAUGHT = [
    "统一社会信用代码91330702MA2XXXXX1X",
    "信用代码91330000MA0005211T",
    "示综执罚决字〔2025〕第12号",
    "浙杭综执罚决字〔2025〕第000123号",
    "于2025-03-08作出决定",
    "于20250308作出决定",
    "罚款1,000,000 元",
    "罚款10000元",
    "罚款人民币壹万元（10000.00元）",
    "金额12345678901234567元不校验",
    "执法证号ZF33070012345",
    "证号33070012345A",
    "执法证号浙A12345678901",
    "权力事项编码330702CF003",
    "举报电话0571-87654321",
    "举报电话（0571）87654321",
    "举报电话057187654321",
    "拨打12345热线",
    "拨打12315",
    "依据第十二条、第12条第3款",
    "案件流水号2025000012",
    "时间2025年3月8日14时30分",
    "期间2025-01-01至2025-12-31",
    "110101199003077775",  # wrong check character
    "110101199013077771",  # month 13
    "110101180003077770",  # born 1800
    "6222021234567890123",  # a bare run that fails Luhn
    # landlines, hotlines, postcodes: published contacts and places
    "举报电话0571-87654321、0571-87654322",
    "电话0571-87654321 0571-87654322",
    "电话0571-87654321-8001",
    "电话(0571)87654321",
    "服务热线400-800-1234",
    "邮编310000",
    "邮编310000 电话0571-87654321",
    # amounts, dates, times, serials, articles
    "罚款1,380,013,800 元",
    "罚款13,800,138,000元",  # a comma never joins groups
    "罚款13800138.00元",  # one dot: a decimal, not a phone
    "罚款 138 001 380.00 元",
    "罚款13800 138000.00元",  # a decimal after the last group: an amount
    "1984 1338909",  # two numbers side by side: a phone in two groups is split after 3, 5 or 7 digits
    "19970218 796",
    "1952 - 1535475",
    "罚款13 800 138 000元",
    "于2026.03.02作出决定",
    "期间2025.01.01-2025.12.31",
    "期间2025-01-01—2025-12-31",
    "于2025-03-08 14:30:00送达",
    "于2025年3月8日 14:30 在现场",
    "案件流水号2025000012345678",  # 16 digits, bank-like, fails Luhn
    "案件编号2025 0000 1234",
    "2021 2022 2023 2024年度",  # years in fours: no card starts with 1, 2 (before 2221), 7, 8 or 0
    "依据第1、2、3、4、5、6、7、8、9、10、11项",
    "第1 2 3 4 5 6 7 8 9 10 11项",
    "序号1 3 8 0 0 1 3 8 0 0 0 1",  # twelve lone digits: a list, not a phone
    "ISBN 978-7-111-12345-6",
    "坐标120.123456 30.123456",
    # codes with letters
    "统一社会信用代码92330702MA2H12345X",
    "执法证号ZJ33070012345",
    "执法证号ZJ13800138000",
    "设备编号M13800138000",  # a lone letter is allowed before an 18-character ID only
    "代码330702A110105199003071001",  # letters inside a code, whatever the digits after them
    # Chinese numbers: amounts use 十百千万, dates and 文号 are short
    "二〇二六年十一月三日",
    "二〇二五年一月一日至二〇二五年十二月三十一日",
    "罚款一千二百元",
    "罚款一万三千八百元",
    "人民币壹拾叁万捌仟元整",
    "人民币壹万贰仟叁佰肆拾伍元零角零分",
    "示综执罚决字〔二〇二五〕第一二三号",
    "第一百三十八条",
    "（一）（二）（三）（四）（五）（六）（七）（八）（九）",
    "〇〇〇〇〇〇〇〇〇〇〇〇〇〇〇〇〇〇",  # blanks in a form
    "邮箱：无",
    "@某某",
    # 17 digits of a region, a date and a serial are how many case numbers are made: not an ID before
    # a product's operand or Markdown's bold (an X whose check digit happens to be X included)
    "货物单价按规格码33070220260315001 × 2件计算",
    "单价33010219900101008 × 3件",
    "**案件编号：33070220260315001**",
]


@pytest.mark.parametrize("text", NOT_CAUGHT)
def test_numbers_real_decisions_contain_are_not_personal_data(text):
    assert personal_data(text) == []


def test_several_findings_in_order_with_offsets_into_the_original():
    text = "当事人\u200b身份证１１０１０１１９９００３０７７７７４，电话138 0013 8000，邮箱zhang＠example.com。"
    found = personal_data(text)
    assert [k for k, _, _ in found] == ["id", "mobile", "email"]
    for _, offset, match in found:
        assert text[offset:offset + len(match)] == match
    assert found[0][2] == "１１０１０１１９９００３０７７７７４"


def test_check_helpers():
    assert is_id_card("11010519491231002X") and is_id_card("110101199003077774")
    assert not is_id_card("110101199003077775") and not is_id_card("910101199003077774")
    assert not is_id_card("201010199003077778")  # check character right, but 20 is no province
    assert luhn("6222021234567890128") and not luhn("6222021234567890123")
    assert redact("13800138000") == "138…00" and "0013" not in redact("13800138000")
    assert set(KINDS) == {"id", "mobile", "bank", "email"}


@settings(max_examples=200, deadline=None)
@given(number=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
       shape=st.sampled_from(["", " ", "-", "　", "－", " - "]),
       prefix=st.sampled_from(["", "+86", "+86 ", "86-", "0086", "（＋８６）"]),
       wide=st.booleans(),
       before=st.text("经查当事人电话手机号码，：。、（）", max_size=8),
       after=st.text("经查当事人电话手机号码，：。、（）", max_size=8))
def test_any_mobile_number_however_written_is_found(number, shape, prefix, wide, before, after):
    spelled = prefix + number[:3] + shape + number[3:7] + shape + number[7:]
    if wide:
        spelled = spelled.translate({ord(d): chr(ord(d) + 0xFEE0) for d in "0123456789"})
    text = before + spelled + after
    kinds = [(kind, offset, match) for kind, offset, match in personal_data(text)]
    assert kinds and kinds[0][0] == "mobile"
    _, offset, match = kinds[0]
    assert text[offset:offset + len(match)] == match
    assert match == spelled


def _id(body: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


CHINESE = dict(zip("0123456789", "〇一二三四五六七八九", strict=True))
JOINS = [" ", "  ", "-", " - ", ".", "\n", "\r\n", "　", "－", "．", "\u200b"]


@settings(max_examples=200, deadline=None)
@given(region=st.sampled_from(["110105", "330702", "650102", "440305"]),
       born=st.dates(dt.date(1920, 1, 1), dt.date(2024, 12, 31)),
       serial=st.from_regex(r"[0-9]{3}", fullmatch=True),
       cuts=st.sets(st.integers(1, 17), max_size=17), join=st.sampled_from(JOINS),
       digits=st.sampled_from(["arabic", "wide", "chinese"]),
       before=st.text("经查当事人身份证号码，：。、（）", max_size=8),
       after=st.text("经查当事人身份证号码，：。、（）", max_size=8))
def test_any_id_number_however_grouped_is_found(region, born, serial, cuts, join, digits, before, after):
    number = _id(region + born.strftime("%Y%m%d") + serial)
    if digits == "wide":
        number = number.translate({ord(d): chr(ord(d) + 0xFEE0) for d in "0123456789"})
    elif digits == "chinese":
        number = number.translate(str.maketrans(CHINESE))
    bounds = [0, *sorted(cuts), 18]
    spelled = join.join(number[a:b] for a, b in itertools.pairwise(bounds))
    text = before + spelled + after
    [(kind, offset, match)] = personal_data(text)
    assert kind == "id"
    assert match == spelled
    assert text[offset:offset + len(match)] == match


@settings(max_examples=200, deadline=None)
@given(number=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
       cuts=st.sampled_from([(3, 7), (4, 7), (3, 6), (4, 8), (5,), (3,), (7,), tuple(range(1, 11))]),
       join=st.sampled_from(JOINS), chinese=st.sets(st.integers(0, 10)),
       before=st.text("经查当事人电话手机号码，：。、（）", max_size=8),
       after=st.text("经查当事人电话手机号码，：。、（）", max_size=8))
def test_any_mobile_number_in_groups_or_chinese_digits_is_found(number, cuts, join, chinese, before, after):
    if len(cuts) == 1 and join not in (" ", "-", "　", "－", "\u200b"):
        join = " "  # two groups: only as phones are split, 13800.138000 is an amount, 1984 - 1338909 two numbers
    if "\n" in join:
        join = "-"  # a phone is taken on one line only
    number = "".join(CHINESE[d] if k in chinese else d for k, d in enumerate(number))
    bounds = [0, *cuts, 11]
    spelled = join.join(number[a:b] for a, b in itertools.pairwise(bounds))
    text = before + spelled + after
    [(kind, offset, match)] = personal_data(text)
    assert kind == "mobile"
    assert match == spelled
    assert text[offset:offset + len(match)] == match


# ---------------------------------------------------------------- names: normalising and masking one name

@pytest.mark.parametrize(("name", "normal"), [
    ("孙　亮", "孙亮"),
    (" 王 小五 ", "王小五"),
    ("王\u200b小五", "王小五"),
    ("王\ufeff小\u2060五", "王小五"),
    ("阿依古丽·买买提", "阿依古丽·买买提"),
    ("阿依古丽•买买提", "阿依古丽·买买提"),
    ("阿依古丽・买买提", "阿依古丽·买买提"),
    ("阿依古丽.买买提", "阿依古丽·买买提"),
    ("阿依古丽．买买提", "阿依古丽·买买提"),
    ("阿依古丽･买买提", "阿依古丽·买买提"),
    ("阿依古丽 · 买买提", "阿依古丽·买买提"),
    ("·阿依古丽··买买提·", "阿依古丽·买买提"),
    ("王⼩五", "王小五"),  # Kangxi radical 小 (U+2F29)
])
def test_normalize_name(name, normal):
    assert normalize_name(name) == normal


@pytest.mark.parametrize(("name", "masked"), [
    ("张三", "张某"),
    ("张三丰", "张某某"),
    ("孙　亮", "孙某"),
    ("王 小五", "王某某"),
    ("王\u200b小五", "王某某"),
    ("欧阳修", "欧阳某"),
    ("欧阳娜娜", "欧阳某某"),
    ("司马　光", "司马某"),
    ("欧阳", "欧某"),
    ("阿依古丽·买买提", "阿某某某·某某某"),
    ("阿依古丽•买买提", "阿某某某·某某某"),
    ("阿依古丽买买提", "阿某某某某某某"),
    ("王", "某"),
    ("　", "某"),
])
def test_mask_name(name, masked):
    assert mask_name(name) == masked


# ---------------------------------------------------------------- names: the masker over free text

SENTENCE = "经查，当事人{}于2025年3月8日在示例县兴隆镇人民路（12号）擅自设置户外广告。"


@pytest.mark.parametrize("spelling", [
    "王小五", "王 小五", "王 小 五", "王　小　五", "王\u200b小五", "王\ufeff小\u200d五", "王\u00a0小五",
    "王⼩五",
])
def test_each_spelling_of_a_name_is_masked_and_the_sentence_kept(spelling):
    masker = Masker(["王小五"])
    assert masker.mask(SENTENCE.format(spelling)) == SENTENCE.format("王某某")


def test_the_name_as_entered_may_itself_be_messy():
    masker = Masker(["孙　亮"])
    assert masker.mask("当事人孙亮、孙　亮与孙 亮") == "当事人孙某、孙某与孙某"


def test_padding_around_a_name_stays():
    assert Masker(["王小五"]).mask("当事人：　王小五　（男）") == "当事人：　王某某　（男）"


@pytest.mark.parametrize(("name", "text", "masked"), [
    ("欧阳娜娜", "当事人欧阳娜娜称", "当事人欧阳某某称"),
    ("欧阳修", "当事人欧阳 修称", "当事人欧阳某称"),
    ("司马光", "当事人司马　光称", "当事人司马某称"),
    ("诸葛亮", "诸\u200b葛亮", "诸葛某"),
])
def test_compound_surnames_stay(name, text, masked):
    assert Masker([name]).mask(text) == masked


@pytest.mark.parametrize(("text", "masked"), [
    ("当事人阿依古丽·买买提称", "当事人阿某某某·某某某称"),
    ("当事人阿依古丽买买提称", "当事人阿某某某·某某某称"),
    ("当事人阿依古丽•买买提称", "当事人阿某某某·某某某称"),
    ("当事人阿依古丽・买买提称", "当事人阿某某某·某某某称"),
    ("当事人阿依古丽.买买提称", "当事人阿某某某·某某某称"),
    ("当事人阿依古丽．买买提称", "当事人阿某某某·某某某称"),
    ("当事人阿依古丽 · 买买提称", "当事人阿某某某·某某某称"),
    ("当事人买买提称", "当事人买某某称"),
    ("当事人·买买提称", "当事人·买某某称"),
    ("当事人阿依古丽称", "当事人阿某某某称"),
    ("当事人阿依古丽\u200b称", "当事人阿某某某\u200b称"),
])
def test_minority_names_with_or_without_the_dot_and_their_parts(text, masked):
    assert Masker(["阿依古丽·买买提"]).mask(text) == masked


@pytest.mark.parametrize("dash", ["-", "－", "‐", "‑", "–", "—", "——", "﹣", " - ", "　－　", "\u200b-"])
def test_a_dash_between_the_parts_of_a_known_name_is_its_dot(dash):
    # part by part it would be 热某某－阿某某: the second part's first character shown
    assert Masker(["热依拉·阿不都"]).mask(f"当事人热依拉{dash}阿不都称") == "当事人热某某·某某某称"


def test_a_dash_joins_a_name_only_where_the_joined_name_is_known():
    masker = Masker(["热依拉·阿不都", "阿依古丽·买买提·艾力", "王小五"])
    assert masker.mask("阿依古丽-买买提—艾力") == "阿某某某·某某某·某某"
    assert masker.mask("阿依古丽·买买提-艾力") == "阿某某某·某某某·某某"
    assert masker.mask("王-小五") == "王某某"  # a known name, a dash inside: as if it were a dot
    assert Masker(["热依拉阿不都"]).mask("热依拉－阿不都") == "热某某某某某"  # entered without its dot
    # a dash next to a name that does not make a known name stays a dash
    assert masker.mask("热依拉－张三于2025-03-08往返北京—上海") == "热某某－张三于2025-03-08往返北京—上海"
    assert masker.mask("热依拉—阿不力") == "热某某—阿不力"
    assert masker.mask("热依拉-阿不都-热依拉-阿不都") == "热某某·某某某-热某某·某某某"


def test_a_one_character_part_is_not_masked_alone():
    masker = Masker(["艾·买买提"])
    assert masker.mask("艾买买提与艾滋病") == "艾·某某某与艾滋病"


def test_two_names_in_one_text():
    masker = Masker(["张三", "李四", "赵六"])
    assert masker.mask("张三与李 四发生纠纷，张三先动手。") == "张某与李某发生纠纷，张某先动手。"


def test_a_name_in_traditional_characters_or_another_letter_case_is_the_same_name():
    """A party from Hong Kong or Taiwan entered as 陳大文 is written 陈大文 in the facts, or the other way
    round; a foreign name in capitals on the ID and in title case in the text: masked either way."""
    masker = Masker(["陳大文", "张三丰", "John SMITH"])
    assert masker.mask("当事人陈大文、張三豐") == "当事人陳某某、张某某"
    assert masker.mask("john smith, JOHN SMITH, John  Smith, ＪＯＨＮ ＳＭＩＴＨ") == (
        "J某某某某某某某某, J某某某某某某某某, J某某某某某某某某, J某某某某某某某某")
    assert masker.mask("著名的王府井，干部") == "著名的王府井，干部"  # simplified text is left as it is


def test_alphabetic_names_fold_case_and_accents_in_every_script_and_stay_whole_words():
    masker = Masker(["José GARCÍA", "İbrahim Yılmaz", "Анна Петрова", "Ali·KHAN"])
    assert masker.mask("JOSÉ GARCÍA，jose garcia，Jose\u0301 Garci\u0301a") == "J某某某某某某某某某，J某某某某某某某某某，J某某某某某某某某某"
    assert masker.mask("IBRAHIM YILMAZ；ibrahim yılmaz") == "İ某某某某某某某某某某某某；İ某某某某某某某某某某某某"
    assert masker.mask("АННА ПЕТРОВА") == "А某某某某某某某某某某"
    # a name of letters is a whole word: not inside QUALITY, Alibaba or KHANDA
    assert masker.mask("QUALITY Alibaba KHANDA") == "QUALITY Alibaba KHANDA"
    assert masker.mask("经理Ali KHAN到场") == "经理A某某·某某某某到场"


def test_names_of_letters_in_passport_order_word_by_word_and_with_strokes_or_apostrophes():
    masker = Masker(["John Smith", "Đặng Văn An", "Patrick O'Brien"])
    assert masker.mask("SMITH JOHN；John_Smith；当事人Smith称") == "S某某某某某某某某；J某某某某某某某某；当事人S某某某某称"
    assert masker.mask("当事人Dang Van An来") == "当事人Đ某某某某某某某某来"
    assert masker.mask("Patrick O’Brien，Patrick OBrien") == "P某某某某某某某某某某某某某，P某某某某某某某某某某某某某"
    assert Masker(["Li Na"]).mask("Li and Na") == "Li and Na"  # words under three letters are not masked alone


def test_a_simplified_character_is_never_folded_into_another():
    """OpenCC folds 予 to 豫 (Japanese) and 乾 to 干: both are standard simplified characters (GB 2312),
    and 依法应予从重处罚 is no party named 应豫."""
    assert Masker(["应豫"]).mask("依法应予从重处罚") == "依法应予从重处罚"
    assert Masker(["孙乾"]).mask("孙干") == "孙干"
    assert Masker(["高建国", "凃伟"]).mask("髙建国、涂伟") == "高某某、凃某"  # an ID card's variants


def test_japanese_and_standard_variant_forms_fold_and_a_surname_stays_apart_from_a_common_character():
    masker = Masker(["锺大文", "渡辺健一", "沢田一郎", "呉大偉", "於成"])
    assert masker.mask("鍾大文、钟大文") == "锺某某、锺某某"
    assert masker.mask("渡邉健一、澤田一郎、吳大偉") == "渡某某某、沢某某某、呉某某"
    # 於 is a surname of its own: 于, among the commonest characters, is not taken for it
    assert masker.mask("位于成都路，由于成本原因，於成到场") == "位于成都路，由于成本原因，於某到场"


def test_a_name_that_is_a_prefix_of_another_the_longest_wins():
    masker = Masker(["王小", "王小五"])
    assert masker.mask("王小五和王小，王 小五") == "王某某和王某，王某某"
    # at the end of a text, a longer name cut short must not be taken for a shorter one
    assert Masker(["王小", "王小王小"]).mask("见王小") == "见王某"


def test_overlapping_names_are_masked_as_one_stretch():
    assert Masker(["李王", "王小五"]).mask("见李王小五。") == "见李某某某。"


def test_one_character_names_mask_only_a_whole_field():
    masker = Masker(["王", "张三"])
    assert masker.mask("王") == "某"
    assert masker.mask("　王 ") == "　某 "
    assert masker.mask("王府井大街") == "王府井大街"
    assert masker.mask("张三") == "张某"


def test_text_with_astral_characters_or_expanding_compatibility_characters():
    assert Masker(["王小五"]).mask("😀王 小五😀") == "😀王某某😀"
    assert Masker(["王𠀀"]).mask("当事人王 𠀀称") == "当事人王某称"
    # ㈠ folds to "(一)": with 一 in a name the text is folded character by character
    assert Masker(["王一"]).mask("㈠王 一称") == "㈠王某称"


def test_nothing_to_mask():
    assert Masker([]).mask("当事人王小五") == "当事人王小五"
    assert Masker(["王小五"]).mask("") == ""
    assert Masker(["王小五"]).mask("当事人王小六") == "当事人王小六"


def test_mask_in_text_keeps_working_for_one_record():
    assert mask_in_text("当事人孙　亮称", "孙亮", "孙某") == "当事人孙某称"
    assert mask_in_text(None, "孙亮", "孙某") is None


# ---------------------------------------------------------------- property: any decorated name, anywhere

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
COMPOUND = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙"]
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂建华文辉志海燕晓东玉春梅国庆红立新德胜小大"
MINORITY = "阿依古丽买提艾尔肯热合曼吐逊努尔帕提古力江巴克拉木扎西卓玛次仁"
# Surrounding text shares no character with any name, so a name cannot appear in it by chance.
FILLER = "经查当事人在示例县兴隆镇路擅自设置户外广告的行为违反了规定根据条款决定给予如下处罚罚款元并责令改正" \
         "，。、：；（）《》　 0123456789"
DOT_SPELLINGS = ["·", "•", "・", ".", "．", "･", " · ", ""]
DASH_SPELLINGS = ["-", "－", "—", "——", "–", " - "]  # in a text, between the parts of a known name
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
# Compatibility characters (CJK compatibility ideographs, Kangxi radicals) whose NFKC form is a name character.
VARIANTS: dict[str, list[str]] = {}
for _cp in [*range(0x2F00, 0x2FE0), *range(0xF900, 0xFB00), *range(0x2F800, 0x2FA20)]:
    _n = unicodedata.normalize("NFKC", chr(_cp))
    if _n in SURNAMES + GIVEN + MINORITY + "".join(COMPOUND):
        VARIANTS.setdefault(_n, []).append(chr(_cp))

assert not set(FILLER) & set(SURNAMES + GIVEN + MINORITY + "".join(COMPOUND) + "某")


@st.composite
def names(draw):
    if draw(st.integers(0, 4)) == 0:
        parts = [draw(st.text(MINORITY, min_size=2, max_size=4)) for _ in range(draw(st.integers(2, 3)))]
        return "·".join(parts)
    surname = draw(st.sampled_from(COMPOUND)) if draw(st.booleans()) else draw(st.sampled_from(SURNAMES))
    return surname + draw(st.text(GIVEN, min_size=1, max_size=2))


@st.composite
def spelled(draw, name, dots=DOT_SPELLINGS):
    """The name as staff might type or paste it: spaces, invisible characters, another dot or none,
    compatibility forms of its characters."""
    out = []
    for c in name:
        if c == "·":
            out.append(draw(st.sampled_from(dots)))
            continue
        if c in VARIANTS and draw(st.integers(0, 3)) == 0:
            c = draw(st.sampled_from(VARIANTS[c]))
        if out:
            out.append(draw(st.sampled_from(["", "", "", " ", "  ", "　", *INVISIBLE])))
        out.append(c)
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), name=names(), before=st.text(FILLER, max_size=20), after=st.text(FILLER, max_size=20),
       pad=st.sampled_from(["", "　", "　　", " "]))
def test_any_spelling_of_a_name_anywhere_is_masked_and_nothing_else_changes(data, name, before, after, pad):
    # the party's name as written in the record: messy too, but with its dot (without one its parts are unknown)
    entered = data.draw(spelled(name, dots=DOT_SPELLINGS[:-1]), label="entered")
    parts = [p for p in name.split("·") if len(p) >= 2] if "·" in name else []
    shown = data.draw(st.sampled_from([name, *parts]), label="shown")  # what the text contains
    written = data.draw(spelled(shown, dots=DOT_SPELLINGS + DASH_SPELLINGS), label="written")
    text = before + pad + written + pad + after

    masked = Masker([entered]).mask(text)

    assert masked == before + pad + mask_name(shown) + pad + after
    folded = normalize_name(masked)
    assert normalize_name(name).replace("·", "") not in folded.replace("·", "")
    for part in parts:
        assert part not in folded


# ---------------------------------------------------------------- property: one masker of all names screens for each

SMALL = "王李张欧阳伟芳小某"  # few characters: names overlap and nest in the texts drawn from them; 某 as masked


@st.composite
def close_names(draw):
    return draw(st.text(SMALL, min_size=1, max_size=3)) + draw(st.sampled_from(["", "", "·" + "芳伟", "-"]))


def _screened_in(everyone, one, text):
    """What guard._name_in_case_no asks before the party's own masker."""
    from generator import guard

    return guard._unscreened(one) or everyone.finds(text)


@settings(max_examples=400, deadline=None)
@given(data=st.data(), name=names(), others=st.lists(names(), max_size=20),
       before=st.text(FILLER, max_size=12), after=st.text(FILLER, max_size=12))
def test_a_text_any_one_name_s_masker_changes_the_masker_of_all_names_finds_a_name_in(data, name, others, before, after):
    """guard._name_in_case_no screens a 文号 with one masker of every natural person's name and
    builds the party's own only for a 文号 it finds a name in: sound only if nothing one name's masker
    finds slips through the masker of all (spellings, parts, overlaps, whole-text names)."""
    entered = data.draw(spelled(name, dots=DOT_SPELLINGS[:-1]), label="entered")
    shown = data.draw(st.sampled_from([name, *[p for p in name.split("·") if len(p) >= 2]]), label="shown")
    written = data.draw(spelled(shown, dots=DOT_SPELLINGS + DASH_SPELLINGS), label="written")
    text = before + (written if data.draw(st.booleans(), label="in") else "") + after
    everyone = data.draw(st.permutations([entered, *others]), label="order")
    if Masker([entered]).mask(text) != text:
        assert _screened_in(Masker(everyone), entered, text)


@settings(max_examples=400, deadline=None)
@given(names_=st.lists(close_names(), min_size=1, max_size=8),
       text=st.text(SMALL + "·-－　 （）0", max_size=16))
def test_among_names_sharing_their_characters_the_masker_of_all_still_finds_each(names_, text):
    everyone = Masker(names_)
    for one in names_:
        if Masker([one]).mask(text) != text:
            assert _screened_in(everyone, one, text), one


@pytest.mark.parametrize(("one", "other", "text"), [
    ("欧阳", "欧阳某", "某罚字〔2026〕第3号欧阳某"),  # 欧阳 (surname 欧) → 欧某某; 欧阳某 is masked as it stands
    ("李欧-", "一王", "李－欧－一"),  # the dash of 李欧- read as between 欧 and 一 by the masker of both
])
def test_a_text_the_masker_of_all_leaves_as_it_is_may_still_hold_a_name(one, other, text):
    # (One key with two masked forms, 欧·阳某某 and 欧阳某某, was a third case while the first spelling
    # in the project's order won: the spellings are now taken in sorted order, the dotted one first.)
    """Where the masker of all names leaves a text as it is, one name's masker may still change it:
    the guard asks whether it finds a name, and checks a name with a dash on its own."""
    from generator import guard

    names_ = [other, one]
    assert Masker([one]).mask(text) != text
    assert Masker(names_).mask(text) == text
    assert _screened_in(Masker(names_), one, text)

    class Party:
        name, type = one, "自然人"

    class Decision:
        party, case_no = Party, text

    class Src:
        path = "content/town/decisions/2026/2026-03-05-001.yaml"

        def problem(self, loc, code, *_, **__):
            return code

    with guard.screening(names_):
        assert guard._name_in_case_no(Decision, Src()) == ["P004"]


def test_a_full_name_across_a_dash_at_the_end_of_a_text_with_a_longer_name_of_the_same_surname():
    """_across_dashes took a slice past the end for the longer name's length: on the slow folding path
    (an astral or expanding character) an IndexError, else the text's end swallowed."""
    m = Masker(["王小明", "王小"])
    assert m.mask("\U00020000王－小") == "\U00020000王某"
    assert m.mask("王－小 ") == "王某 "
    assert m.mask("王－小\u200b") == "王某\u200b"


@pytest.mark.parametrize("names_", [["欧阳某某", "欧·阳某某"], ["阿依古丽买买提", "阿依古丽·买买提", "阿依古丽-买买提"]])
def test_the_masker_depends_on_the_names_not_on_their_order(names_):
    # Spellings that fold alike share one mask: which one may not depend on where each decision sits
    # in the project (a renamed file changed it, and the masked views an incremental build keeps).
    texts = [*names_, "当事人" + names_[-1] + "于2026年"]
    masked = {tuple(Masker(list(order)).mask(t) for t in texts) for order in itertools.permutations(names_)}
    assert len(masked) == 1
