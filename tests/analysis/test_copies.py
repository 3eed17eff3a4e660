"""Copy detection with planted copies (whole paragraphs, a few words changed, reordered sentences), a clean
corpus, generated sentences and 套话 (issue 13, items 4 and 6). Plain texts: no database."""

from __future__ import annotations

import numpy as np
import pytest
from datasketch import MinHash

from fengqing.analysis.api import read
from fengqing.analysis.boilerplate import common_sentences, min_reports, shares
from fengqing.analysis.copies import find_copies
from fengqing.analysis.sentences import Corpus
from fengqing.analysis.signature import ngram_hashes, signatures
from fengqing.analysis.text import Text, normalise

# four sentences a unit wrote about its own work (the source of the planted copies)
SOURCE = ("我局紧盯水利工程建设领域，对三个在建项目的招投标和资金拨付开展专项监督检查。"
          "检查发现合同变更审批不规范等问题五个，已全部督促整改到位。"
          "针对河道采砂管理中的廉政风险，修订完善采砂许可审批流程，实行集体研究、公开公示。"
          "同时建立项目资金月报制度，由财务科每月向党组报告资金使用情况。")
# unrelated paragraphs other units wrote (the clean corpus): same field, different facts and wording
CLEAN = [
    "林业局围绕森林防火和天然林保护开展日常监督，组织护林员队伍开展廉洁从业培训两期。"
    "对生态公益林补偿资金发放情况进行抽查，走访农户四十余户，未发现截留挪用情况。",
    "档案馆结合档案数字化外包项目，对服务商选定、合同履约和验收环节进行全程跟踪监督。"
    "馆领导带队开展廉政谈话，提醒项目负责人严守保密纪律和廉洁纪律。",
    "交通局聚焦工程质量和农村公路养护资金，开展交叉检查三次，约谈施工单位负责人两名。"
    "对发现的计量支付不准确问题，责令限期整改并扣减相应工程款。",
    "卫健委针对医药购销领域突出问题，开展集中整治，建立医药代表接待登记制度。"
    "全年组织医务人员廉洁行医承诺签名，覆盖全委系统各医疗机构。",
]


def text(key, body, unit, period, kind="narrative"):
    return Text(key, kind, body, unit, period, f"{unit}{period}{key}")


def copies(texts):
    corpus = Corpus(texts)
    return find_copies(corpus, common_sentences(corpus))


def clean_texts():
    units = ("林业局", "档案馆", "交通局", "卫健委")
    return [text(f"c{i}", body, units[i], "2023H1") for i, body in enumerate(CLEAN)]


def test_signatures_are_datasketch_minhash():
    hashes = [ngram_hashes(normalise(SOURCE)), ngram_hashes(normalise(CLEAN[0]))]
    sigs = signatures(iter(hashes))
    for h, sig in zip(hashes, sigs):
        m = MinHash(num_perm=sigs.shape[1], seed=1, hashfunc=int)
        m.update_batch([int(x) for x in h])
        assert np.array_equal(m.hashvalues, sig)


def test_clean_corpus_has_no_finding():
    texts = [text("src", SOURCE, "水务局", "2023H1"), *clean_texts()]
    findings, _ = read(texts)
    assert findings == []


def test_whole_paragraph_copied_across_units_marks_every_sentence():
    texts = [text("src", SOURCE, "水务局", "2023H1"), text("copy", SOURCE, "林业局", "2023H1"), *clean_texts()]
    found = copies(texts)
    assert len(found) == 1
    f = found[0]
    assert (f.kind, f.subkind) == ("copy", "cross_unit")
    assert f.score == pytest.approx(1.0)
    # every one of the four sentences is a copied span, in both texts
    ends = [i + 1 for i, c in enumerate(SOURCE) if c == "。"]
    starts = [0, *ends[:-1]]
    assert [tuple(s) for s in f.sources[0].spans] == list(zip(starts, ends))
    assert [tuple(s) for s in f.sources[1].spans] == list(zip(starts, ends))


def test_few_words_changed_across_periods_of_one_unit():
    edited = (SOURCE.replace("三个在建项目", "四个在建项目").replace("五个", "七个")
              .replace("修订完善", "进一步修订").replace("财务科", "计划财务科"))
    texts = [text("old", SOURCE, "水务局", "2022H2"), text("new", edited, "水务局", "2023H1"), *clean_texts()]
    found = copies(texts)
    assert [(f.subkind, f.sources[0].key, f.sources[1].key) for f in found] == [("cross_period", "old", "new")]
    # the four sentences are still matched, each with a few characters changed: similarity high but below 1
    assert 0.9 < found[0].score <= 1.0
    assert len(found[0].sources[1].spans) == 4


def test_reordered_sentences_are_found_with_their_spans():
    sents = [s + "。" for s in SOURCE.split("。") if s]
    reordered = "".join([sents[2], sents[0], sents[3], sents[1]])
    texts = [text("src", SOURCE, "水务局", "2023H1"), text("copy", reordered, "档案馆", "2023H2"), *clean_texts()]
    found = copies(texts)
    assert len(found) == 1
    copy = found[0].sources[1]
    assert copy.key == "copy"
    assert sorted(copy.text[a:b] for a, b in copy.spans) == sorted(sents)


def test_copy_from_model_text():
    model = Text("corpus:范文.docx:0", "corpus", "某局研判报告范文开头。" + SOURCE, label="范文《范文.docx》第1段")
    texts = [model, text("copy", SOURCE, "林业局", "2023H1"), *clean_texts()]
    found = copies(texts)
    assert [(f.subkind, f.sources[0].key) for f in found] == [("model_text", "corpus:范文.docx:0")]


def test_one_report_is_not_compared_with_itself():
    # the same paragraph in two sections of one unit's report for one period is not copying between reports
    texts = [text("a", SOURCE, "水务局", "2023H1"), text("b", SOURCE, "水务局", "2023H1"), *clean_texts()]
    assert copies(texts) == []


def test_generated_sentences_of_uploaded_reports_are_not_copies():
    # sentences as fengqing's templates write them (figures differ): identical by design in every report
    generated = ("上半年组织党组理论学习中心组学习{0}次、党支部集中学习{1}次。"
                 "召开党组会{0}次、党支部会{1}次，传达学习中央、省委决策部署和市委工作部署。"
                 "召开民主生活会1次、组织生活会1次，开展批评和自我批评。")
    texts = [text("u1", generated.format(6, 30), "水务局", "2023H1", kind="upload"),
             text("u2", generated.format(5, 12), "林业局", "2023H1", kind="upload"), *clean_texts()]
    assert copies(texts) == []
    # the same sentences typed in as a leadership paragraph are the writer's own, and compared
    texts = [text("n1", generated.format(6, 30), "水务局", "2023H1"),
             text("n2", generated.format(5, 12), "林业局", "2023H1"), *clean_texts()]
    assert len(copies(texts)) == 1


BOILER = "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神。"


def test_boilerplate_share_and_sharing_boilerplate_is_not_copying():
    # six units each open one paragraph with the same 套话 sentence, then write their own text
    units = ("水务局", "林业局", "档案馆", "交通局", "卫健委", "统计局")
    bodies = [SOURCE, *CLEAN, "统计局开展统计造假专项治理，核查基层报表一百二十份，通报问题三起。"]
    texts = [text(f"t{i}", BOILER + body, u, "2023H1") for i, (u, body) in enumerate(zip(units, bodies))]
    assert min_reports(len(units)) == 5
    corpus = Corpus(texts)
    common = common_sentences(corpus)
    assert len(common) == 1
    by_unit = {s.unit: s for s in shares(corpus, common)}
    # 水务局: the 套话 sentence and four own sentences; its share is the 套话's characters over all
    boiler_chars = len(normalise(BOILER))
    own = sum(len(normalise(s)) for s in SOURCE.split("。") if s)
    assert by_unit["水务局"].common == 1 and by_unit["水务局"].sentences == 5
    assert by_unit["水务局"].share == pytest.approx(boiler_chars / (boiler_chars + own))
    assert find_copies(corpus, common) == []
    # with only four units the sentence is not yet 套话 (fewer than five reports)
    four = Corpus(texts[:4])
    assert common_sentences(four) == set()


def test_normalisation_folds_full_width_letters_and_drops_punctuation():
    assert normalise("ＡＢ１，党风　廉政！ｚ９") == "AB1党风廉政z9"
