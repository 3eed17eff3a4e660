"""Fictional Chinese personal names for the demo staff, drawn from common surnames and given-name characters."""

from __future__ import annotations

import random

# The most common surnames, most frequent first; the weights follow that order roughly.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_SURNAME_WEIGHTS = tuple(100 - i for i in range(len(SURNAMES)))

MALE_CHARS = "伟强军斌峰磊勇涛明刚平辉鹏华飞鑫波宁超杰亮俊文东林海建国志晓宇浩晨阳凯博睿轩哲翔毅振兴荣德成龙晖新健炜锋坤瑞"
FEMALE_CHARS = "芳娜敏静丽艳娟霞燕玲婷雪琳颖萍红梅琴丹倩莉慧佳欣怡悦晶洁蕾璐瑶雯佩雅君蓉月素兰凤秀英霖媛"


class NameMaker:
    """Names unique within one unit, so that every person can also be referred to by name (DESIGN §3)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def make(self, gender: str) -> str:
        chars = MALE_CHARS if gender == "男" else FEMALE_CHARS
        while True:
            surname = self.rng.choices(SURNAMES, weights=_SURNAME_WEIGHTS)[0]
            given = self.rng.choice(chars)
            if self.rng.random() < 0.7:
                given += self.rng.choice(chars)
            name = surname + given
            if name not in self.used:
                self.used.add(name)
                return name
