"""Benchmark of the reader's copy detection (issue 13, item 5).

Builds a corpus of reports of realistic length (about 20 written paragraphs, 2,500 characters, per report; the
wording of 政治生态 reports: shared official phrases, words from jieba's dictionary, and 套话 sentences that
many reports repeat), plants copies of known paragraphs (whole, with a few words changed, with the sentences
reordered; within a unit across periods, across units, and from model texts), runs the reader's copy detection
and 套话 count, and prints recall, precision, time and memory. The floor, measured in the same run, is one
pass that only cuts every text into sentences and normalises them (what any reader of the texts pays).

  python bench/analyze_bench.py                  # 10,000 reports
  python bench/analyze_bench.py --reports 1000   # quicker
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src")]

from fengqing.analysis.boilerplate import common_sentences, shares  # noqa: E402
from fengqing.analysis.copies import find_copies  # noqa: E402
from fengqing.analysis.sentences import Corpus  # noqa: E402
from fengqing.analysis.text import Text, normalise, sentences  # noqa: E402

PERIODS = ("2022H1", "2022H2", "2023H1", "2023H2")
PHRASES = ("深入学习贯彻", "认真落实", "切实加强", "持续推进", "不断完善", "扎实开展", "严格执行", "全面压实",
           "进一步健全", "坚决纠治", "着力解决", "统筹推进", "聚焦", "围绕", "紧盯", "督促指导")
OBJECTS = ("党风廉政建设主体责任", "中央八项规定精神", "“一岗双责”", "廉政风险防控机制", "干部队伍建设",
           "意识形态工作", "基层党组织建设", "作风建设", "重点领域监督", "“三重一大”决策制度", "谈心谈话制度",
           "警示教育", "政治监督", "选人用人工作", "财务管理制度", "问题整改", "“三会一课”制度")
BOILERPLATE = [
    "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神。",
    "牢固树立“四个意识”，坚定“四个自信”，做到“两个维护”。",
    "认真落实全面从严治党主体责任，推动管党治党向纵深发展。",
    "持续深化作风建设，驰而不息纠治“四风”。",
    "坚持把纪律和规矩挺在前面，抓早抓小、防微杜渐。",
    "不断营造风清气正的良好政治生态。",
    "切实把思想和行动统一到中央和省委、市委决策部署上来。",
    "坚持问题导向，以钉钉子精神抓好整改落实。",
    "压紧压实管党治党政治责任，层层传导压力。",
    "认真履行“一岗双责”，做到守土有责、守土负责、守土尽责。",
    "着力构建不敢腐、不能腐、不想腐的体制机制。",
    "推动党风廉政建设各项任务落地见效。",
]


def load_words(rng: random.Random) -> list[str]:
    import jieba

    words = []
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as f:
        for line in f:
            w, freq, tag = line.split()
            if tag in ("n", "v", "vn", "nz") and 2 <= len(w) <= 4 and int(freq) >= 20:
                words.append(w)
    rng.shuffle(words)
    return words


class Generator:
    def __init__(self, n_reports: int, seed: int):
        self.rng = random.Random(seed)
        self.words = load_words(self.rng)
        self.n_reports = n_reports

    def sentence(self) -> str:
        r, w = self.rng, self.words
        parts = [r.choice(PHRASES) + r.choice(OBJECTS), f"{r.choice(w)}{r.choice(w)}{r.choice(w)}",
                 f"{r.choice(PHRASES)}{r.choice(w)}{r.choice(w)}"]
        if r.random() < 0.5:
            parts.insert(1, f"全年{r.choice(w)}{r.randint(2, 60)}次")
        return "，".join(parts) + "。"

    def paragraph(self) -> str:
        sents = [self.sentence() for _ in range(self.rng.randint(3, 5))]
        if self.rng.random() < 0.4:  # a 套话 sentence at the head, as written reports do
            sents.insert(0, self.rng.choice(BOILERPLATE))
        return "".join(sents)

    def build(self, planted: int) -> tuple[list[Text], set[tuple[str, str]]]:
        """The texts and the planted pairs (source key, copy key)."""
        texts, by_report = [], []
        n_units = max(2, self.n_reports // len(PERIODS))
        for u in range(n_units):
            for period in PERIODS:
                if len(by_report) == self.n_reports:
                    break
                keys = []
                for p in range(self.rng.randint(16, 24)):
                    # every other unit writes its report outside fengqing and uploads it
                    t = Text(f"n:{u}:{period}:{p}", ("narrative", "upload")[u % 2], self.paragraph(), f"单位{u}", period,
                             f"单位{u} {period} 第{p + 1}段")
                    keys.append(len(texts))
                    texts.append(t)
                by_report.append(keys)
        models = []
        for m in range(50):
            for p in range(10):
                models.append(len(texts))
                texts.append(Text(f"corpus:范文{m}.txt:{p}", "corpus", self.paragraph(), label=f"范文{m} 第{p + 1}段"))
        truth = set()
        used = set()
        for k in range(planted):
            how = ("whole", "edited", "reordered")[k % 3]
            where = ("cross_period", "cross_unit", "model_text")[(k // 3) % 3]
            while True:
                target = self.rng.choice(by_report)
                t_i = self.rng.choice(target)
                tu = texts[t_i].unit
                if where == "model_text":
                    s_i = self.rng.choice(models)
                else:
                    pool = [r for r in by_report if (texts[r[0]].unit == tu) == (where == "cross_period")
                            and texts[r[0]].report != texts[t_i].report] if where == "cross_period" else None
                    source = self.rng.choice(pool) if pool else self.rng.choice(by_report)
                    s_i = self.rng.choice(source)
                if s_i != t_i and not {s_i, t_i} & used and texts[s_i].report != texts[t_i].report:
                    break
            used |= {s_i, t_i}
            t = texts[t_i]
            texts[t_i] = Text(t.key, t.kind, self.modify(texts[s_i].text, how), t.unit, t.period, t.label)
            truth.add((texts[s_i].key, t.key))
        return texts, truth

    def modify(self, text: str, how: str) -> str:
        if how == "whole":
            return text
        spans = sentences(text)
        sents = [text[s:e] for s, e in spans]
        if how == "reordered":
            self.rng.shuffle(sents)
            return "".join(sents)
        # a few words changed: one two-character word replaced in every other sentence
        out = []
        for i, s in enumerate(sents):
            if i % 2 == 0 and len(s) > 8:
                at = self.rng.randrange(0, len(s) - 3)
                s = s[:at] + self.rng.choice(self.words)[:2] + s[at + 2:]
            out.append(s)
        return "".join(out)


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=10_000)
    ap.add_argument("--planted", type=int, default=900, help="planted copies (default 900)")
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()

    t0 = time.perf_counter()
    texts, truth = Generator(args.reports, args.seed).build(args.planted)
    chars = sum(len(t.text) for t in texts)
    n_reports = len({t.report for t in texts})
    print(f"语料：{n_reports:,} 份报告（含 50 份范文），{len(texts):,} 段，{chars / 1e6:.1f} 百万字；"
          f"植入雷同 {len(truth)} 处；生成用时 {time.perf_counter() - t0:.1f} 秒")
    rss_before = rss_mib()

    t0 = time.perf_counter()
    for t in texts:
        for s, e in sentences(t.text):
            normalise(t.text[s:e])
    floor = time.perf_counter() - t0

    t0 = time.perf_counter()
    corpus = Corpus(texts)
    t_read = time.perf_counter() - t0
    t0 = time.perf_counter()
    common = common_sentences(corpus)
    report_shares = shares(corpus, common)
    t_common = time.perf_counter() - t0
    t0 = time.perf_counter()
    found = find_copies(corpus, common)
    t_copies = time.perf_counter() - t0
    total = t_read + t_common + t_copies
    rss_after = rss_mib()

    pairs = {(f.sources[0].key, f.sources[1].key) for f in found}
    pairs |= {(b, a) for a, b in pairs}
    hit = sum(1 for p in truth if p in pairs)
    true_found = sum(1 for f in found if (f.sources[0].key, f.sources[1].key) in truth
                     or (f.sources[1].key, f.sources[0].key) in truth)
    recall = hit / len(truth) if truth else 1.0
    precision = true_found / len(found) if found else 1.0
    mean_share = sum(s.share for s in report_shares) / len(report_shares)
    print(f"雷同检测：找出 {len(found)} 处，召回率 {recall:.3f}，精确率 {precision:.3f}（目标 ≥ 0.95 / ≥ 0.9）")
    print(f"套话：{len(common)} 种句子出现在多份报告中；每份报告套话占比平均 {mean_share * 100:.1f}%")
    print(f"用时：共 {total:.1f} 秒（分句 {t_read:.1f}，套话 {t_common:.1f}，雷同检测 {t_copies:.1f}）；"
          f"下限（分句并归一化一遍）{floor:.1f} 秒，为其 {total / floor:.1f} 倍（目标 ≤ 60 秒）")
    print(f"内存：进程峰值 {rss_after:.0f} MiB，其中语料本身 {rss_before:.0f} MiB，"
          f"检测增加 {rss_after - rss_before:.0f} MiB")


if __name__ == "__main__":
    main()
