"""How text becomes terms, the one place that decides it. search.js mirrors what a query needs of it
(normalising, runs, keys, buckets, syllables); tests/test_search.py checks that both agree, with
full-width, upper-case, pinyin and mixed queries on the real search page.

- Normalising is character by character, so that a position in the normalised text is a position in
  the text: each character becomes its NFKC form in lower case when that is a single character
  (全角 ＡＢＣ１２３ → abc123, Ⅸ stays Ⅸ), else stays as it is.
- Word characters are letters and numbers (Unicode L* and N*); anything else (punctuation, spaces)
  separates runs. Runs never join across a separator: 省、市 does not hold 省市.
- Terms, each a number below 2**53 (exact in JavaScript):
  a bigram, two adjacent characters of a run, at the position of the first: `cp1 * 2**21 + cp2`;
  a unigram, any word character, without positions: `2**43 + cp`;
  and of titles only, over their syllables in a row (`syllables_of`): a syllable bigram
  `2**44 + s1 * 1024 + s2` and a bigram of initials `2**45 + i1 * 128 + i2`, with positions, and a
  single syllable `2**46 + s` (s: a number in SYLLABLES, i: the code of the syllable's first letter).
- A term's bucket (the index file holding it): FNV-1a (32 bits) of the term's 7 little-endian bytes,
  modulo the number of buckets (a power of two).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from pypinyin import lazy_pinyin
from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

BIGRAM_SHIFT = 1 << 21  # code points are below 2**21: a bigram is below 2**42
UNIGRAM = 1 << 43
PINYIN_BIGRAM = 1 << 44
INITIAL_BIGRAM = 1 << 45
PINYIN_UNIGRAM = 1 << 46
SYLLABLE_SPACE = 1024
# The syllables of Mandarin as pypinyin spells them without tones (ü as v), numbered by this order:
# the index manifest carries the list, so that the browser numbers a typed syllable the same way.
SYLLABLES = tuple(
    [
        "a",
        "ai",
        "an",
        "ang",
        "ao",
        "ba",
        "bai",
        "ban",
        "bang",
        "bao",
        "bei",
        "ben",
        "beng",
        "bi",
        "bian",
        "biang",
        "biao",
        "bie",
        "bin",
        "bing",
        "bo",
        "bong",
        "bu",
        "ca",
        "cai",
        "can",
        "cang",
        "cao",
        "ce",
        "cei",
        "cen",
        "ceng",
        "cha",
        "chai",
        "chan",
        "chang",
        "chao",
        "che",
        "chen",
        "cheng",
        "chi",
        "chong",
        "chou",
        "chu",
        "chua",
        "chuai",
        "chuan",
        "chuang",
        "chui",
        "chun",
        "chuo",
        "ci",
        "cong",
        "cou",
        "cu",
        "cuan",
        "cui",
        "cun",
        "cuo",
        "da",
        "dai",
        "dan",
        "dang",
        "dao",
        "de",
        "dei",
        "den",
        "deng",
        "di",
        "dia",
        "dian",
        "diao",
        "die",
        "din",
        "ding",
        "diu",
        "dong",
        "dou",
        "du",
        "duan",
        "dui",
        "dun",
        "duo",
        "e",
        "ei",
        "en",
        "eng",
        "er",
        "fa",
        "fan",
        "fang",
        "fei",
        "fen",
        "feng",
        "fiao",
        "fo",
        "fou",
        "fu",
        "ga",
        "gai",
        "gan",
        "gang",
        "gao",
        "ge",
        "gei",
        "gen",
        "geng",
        "gong",
        "gou",
        "gu",
        "gua",
        "guai",
        "guan",
        "guang",
        "gui",
        "gun",
        "guo",
        "ha",
        "hai",
        "han",
        "hang",
        "hao",
        "he",
        "hei",
        "hen",
        "heng",
        "hm",
        "hng",
        "hong",
        "hou",
        "hu",
        "hua",
        "huai",
        "huan",
        "huang",
        "hui",
        "hun",
        "huo",
        "ji",
        "jia",
        "jian",
        "jiang",
        "jiao",
        "jie",
        "jin",
        "jing",
        "jiong",
        "jiu",
        "ju",
        "juan",
        "jue",
        "jun",
        "ka",
        "kai",
        "kan",
        "kang",
        "kao",
        "ke",
        "kei",
        "ken",
        "keng",
        "kong",
        "kou",
        "ku",
        "kua",
        "kuai",
        "kuan",
        "kuang",
        "kui",
        "kun",
        "kuo",
        "la",
        "lai",
        "lan",
        "lang",
        "lao",
        "le",
        "lei",
        "len",
        "leng",
        "li",
        "lia",
        "lian",
        "liang",
        "liao",
        "lie",
        "lin",
        "ling",
        "liu",
        "lo",
        "long",
        "lou",
        "lu",
        "luan",
        "lue",
        "lun",
        "luo",
        "lv",
        "lve",
        "m",
        "ma",
        "mai",
        "man",
        "mang",
        "mao",
        "me",
        "mei",
        "men",
        "meng",
        "mi",
        "mian",
        "miao",
        "mie",
        "min",
        "ming",
        "miu",
        "mo",
        "mou",
        "mu",
        "n",
        "na",
        "nai",
        "nan",
        "nang",
        "nao",
        "ne",
        "nei",
        "nen",
        "neng",
        "ng",
        "ni",
        "nia",
        "nian",
        "niang",
        "niao",
        "nie",
        "nin",
        "ning",
        "niu",
        "nong",
        "nou",
        "nu",
        "nuan",
        "nue",
        "nun",
        "nuo",
        "nv",
        "nve",
        "o",
        "ou",
        "pa",
        "pai",
        "pan",
        "pang",
        "pao",
        "pei",
        "pen",
        "peng",
        "pi",
        "pian",
        "piao",
        "pie",
        "pin",
        "ping",
        "po",
        "pou",
        "pu",
        "qi",
        "qia",
        "qian",
        "qiang",
        "qiao",
        "qie",
        "qin",
        "qing",
        "qiong",
        "qiu",
        "qu",
        "quan",
        "que",
        "qun",
        "ran",
        "rang",
        "rao",
        "re",
        "ren",
        "reng",
        "ri",
        "rong",
        "rou",
        "ru",
        "rua",
        "ruan",
        "rui",
        "run",
        "ruo",
        "sa",
        "sai",
        "san",
        "sang",
        "sao",
        "se",
        "sen",
        "seng",
        "sha",
        "shai",
        "shan",
        "shang",
        "shao",
        "she",
        "shei",
        "shen",
        "sheng",
        "shi",
        "shou",
        "shu",
        "shua",
        "shuai",
        "shuan",
        "shuang",
        "shui",
        "shun",
        "shuo",
        "si",
        "song",
        "sou",
        "su",
        "suan",
        "sui",
        "sun",
        "suo",
        "ta",
        "tai",
        "tan",
        "tang",
        "tao",
        "te",
        "tei",
        "teng",
        "ti",
        "tian",
        "tiao",
        "tie",
        "ting",
        "tong",
        "tou",
        "tu",
        "tuan",
        "tui",
        "tun",
        "tuo",
        "wa",
        "wai",
        "wan",
        "wang",
        "wei",
        "wen",
        "weng",
        "wo",
        "wong",
        "wu",
        "xi",
        "xia",
        "xian",
        "xiang",
        "xiao",
        "xie",
        "xin",
        "xing",
        "xiong",
        "xiu",
        "xu",
        "xuan",
        "xue",
        "xun",
        "ya",
        "yan",
        "yang",
        "yao",
        "ye",
        "yi",
        "yin",
        "ying",
        "yo",
        "yong",
        "you",
        "yu",
        "yuan",
        "yue",
        "yun",
        "za",
        "zai",
        "zan",
        "zang",
        "zao",
        "ze",
        "zei",
        "zen",
        "zeng",
        "zha",
        "zhai",
        "zhan",
        "zhang",
        "zhao",
        "zhe",
        "zhei",
        "zhen",
        "zheng",
        "zhi",
        "zhong",
        "zhou",
        "zhu",
        "zhua",
        "zhuai",
        "zhuan",
        "zhuang",
        "zhui",
        "zhun",
        "zhuo",
        "zi",
        "zong",
        "zou",
        "zu",
        "zuan",
        "zui",
        "zun",
        "zuo",
    ]
)
INITIALS = tuple(ord(s[0]) for s in SYLLABLES)  # 政府 zhengfu → zf, as pinyin input methods abbreviate
_SYLLABLE_IDS = {s: n for n, s in enumerate(SYLLABLES)}
FNV_OFFSET, FNV_PRIME = 0x811C9DC5, 0x01000193
KEY_BYTES = 7
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_RUN = re.compile(r"[^\W_]+")  # letters and numbers: \w without the underscore is exactly L* and N*


class _Normal(dict):
    """A str.translate table filled in as characters are first seen."""

    def __missing__(self, code: int) -> int:
        char = chr(code)
        normal = unicodedata.normalize("NFKC", char).lower()
        self[code] = ord(normal) if len(normal) == 1 else code
        return self[code]


_NORMAL = _Normal()


def normalised(text: str) -> str:
    """`text` with each character in its searchable form, of the same length."""
    return text.translate(_NORMAL)


def runs(text: str) -> list[tuple[int, str]]:
    """(offset, run) of each run of word characters in normalised `text`."""
    return [(m.start(), m.group()) for m in _RUN.finditer(text)]


def is_word(char: str) -> bool:
    return char.isalnum()


def bigram(a: str, b: str) -> int:
    return ord(a) * BIGRAM_SHIFT + ord(b)


def unigram(a: str) -> int:
    return UNIGRAM + ord(a)


def fnv1a(data: bytes) -> int:
    h = FNV_OFFSET
    for byte in data:
        h = ((h ^ byte) * FNV_PRIME) & 0xFFFFFFFF
    return h


def has_positions(key: int) -> bool:
    """Bigrams have positions (a phrase is checked by them); single characters and syllables not."""
    return key < UNIGRAM or PINYIN_BIGRAM <= key < PINYIN_UNIGRAM


def syllable(a: str, b: str) -> int:
    return PINYIN_BIGRAM + _SYLLABLE_IDS[a] * SYLLABLE_SPACE + _SYLLABLE_IDS[b]


def han_runs(text: str) -> list[str]:
    return _HAN_RUN.findall(text)


def syllable_ids(run: str) -> list[int]:
    """The number of each character's syllable in SYLLABLES (-1 for one pypinyin cannot read)."""
    return [_SYLLABLE_IDS.get(s, -1) for s in syllables_of(run)]


def bucket(key: int, buckets: int) -> int:
    return fnv1a(key.to_bytes(KEY_BYTES, "little")) & (buckets - 1)


def syllables_of(run: str) -> list[str]:
    """The pinyin of each character of a run of Chinese: its usual reading, or the one a two-character
    word gives it (银行 yin hang, 县长 xian zhang). pypinyin's own segmentation of a whole title would
    be more exact but costs 25 µs a character, which a 100,000-item portal cannot afford."""
    readings = [_reading(c) for c in run]
    for i in range(len(run) - 1):
        pair = run[i : i + 2]
        if (_polyphonic(pair[0]) or _polyphonic(pair[1])) and pair in PHRASES_DICT:
            readings[i], readings[i + 1] = _phrase(pair)
    return readings


@cache
def _reading(char: str) -> str:
    return lazy_pinyin(char)[0]


@cache
def _polyphonic(char: str) -> bool:
    return "," in PINYIN_DICT.get(ord(char), "")


@cache
def _phrase(pair: str) -> tuple[str, str]:
    first, second = lazy_pinyin(pair)
    return first, second
