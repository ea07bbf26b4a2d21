"""Writes golden.json: sacreBLEU's BLEU, sentence BLEU, chrF and chrF++ on edge cases, for MetricsTest.

Run once (it needs sacreBLEU 2.x; the committed file was made with the version recorded in it):
    python3 -m venv /tmp/sb && /tmp/sb/bin/pip install sacrebleu==2.6.0
    /tmp/sb/bin/python toolkit-core/src/test/resources/metrics/make_golden.py
"""
import json
import os

import sacrebleu
from sacrebleu.metrics import BLEU, CHRF

# Each case: hypotheses and reference streams (refs[k][i] is the k-th reference of hypothesis i).
CASES = {
    "identical": (["the cat sat on the mat"], [["the cat sat on the mat"]]),
    "one word, equal": (["cat"], [["cat"]]),
    "one word, different": (["cat"], [["dog"]]),
    "one word vs punctuated": (["Hello"], [["Hello!"]]),
    "no 4-gram match": (["the cat sat", "a dog ran"], [["the cat sat down", "a dog ran away"]]),
    "no match at all": (["x y z"], [["a b c"]]),
    "trailing no-break space": (["the cat sat on the mat\u00a0"], [["the cat sat on the mat"]]),
    "unicode spaces inside": (["le\u202fchat\u2009est\u3000là\u0085ici"], [["le chat est là ici"]]),
    "numbers and entities": (["It costs 3.14, not 1,000 &quot;x-ray&quot; 5-6 units."],
                             [["It costs 3.14 , not 1,000 \"x-ray\" 5-6 units ."]]),
    "hypothesis longer": (["a b c d e f g h"], [["a b c d"]]),
    "empty hypothesis": (["", "the dog barks loudly"], [["a cat", "the dog barks loudly"]]),
    "two references": (["the cat is on the mat", "there is a dog"],
                       [["the cat sits on the mat", "a dog is there"],
                        ["there is a cat on the mat", "there is a dog here"]]),
    "variable references": (["the cat is on the mat", "there is a dog"],
                            [["the cat sits on the mat", "a dog is there"],
                             ["there is a cat on the mat", ""]]),
    "mixed case": (["The Cat SAT on the Mat"], [["the cat sat on the mat"]]),
    "international": (["Ça coûte 5,50 € — «très» cher! Non?", "Preis: 1.000,00 €; (ok)"],
                      [["Ça coûte 5,50 € – « très » cher ! Non ?", "Preis : 1.000,00 € ; ( ok )"]]),
    "characters": (["我喜欢猫。", "今天天气很好"], [["我很喜欢猫。", "今天天气好"]]),
    "real-looking corpus": ([
        "He was not at home when I called.",
        "The train leaves at 5.30 p.m. from platform 2.",
        "She bought apples, pears and bananas.",
        "Please close the door behind you!",
    ], [[
        "He wasn't at home when I called.",
        "The train departs at 5.30 p.m. from platform two.",
        "She bought apples, pears, and bananas.",
        "Close the door behind you, please!",
    ]]),
}

BLEU_OPTIONS = {
    "default": dict(),
    "smooth none": dict(smooth_method="none"),
    "smooth floor": dict(smooth_method="floor"),
    "smooth floor 0.5": dict(smooth_method="floor", smooth_value=0.5),
    "smooth add-k": dict(smooth_method="add-k"),
    "lowercase": dict(lowercase=True),
    "tokenize intl": dict(tokenize="intl"),
    "tokenize char": dict(tokenize="char"),
    "tokenize none": dict(tokenize="none"),
    "effective order": dict(effective_order=True),
}

CHRF_OPTIONS = {
    "chrF": dict(),
    "chrF++": dict(word_order=2),
    "chrF lowercase": dict(lowercase=True),
    "chrF eps": dict(eps_smoothing=True),
    "chrF whitespace": dict(whitespace=True),
    "chrF beta 1": dict(beta=1),
}

out = {"sacrebleu": sacrebleu.__version__, "bleu": [], "chrf": [], "sentence_bleu": []}
for case, (hyps, refs) in CASES.items():
    for name, kw in BLEU_OPTIONS.items():
        m = BLEU(**kw)
        s = m.corpus_score(hyps, refs)
        out["bleu"].append(dict(case=case, options=name, kwargs=kw, hyps=hyps, refs=refs, score=s.score,
                                precisions=s.precisions, bp=s.bp, sys_len=s.sys_len, ref_len=s.ref_len,
                                signature=str(m.get_signature())))
    for name, kw in CHRF_OPTIONS.items():
        m = CHRF(**kw)
        s = m.corpus_score(hyps, refs)
        out["chrf"].append(dict(case=case, options=name, kwargs=kw, hyps=hyps, refs=refs, score=s.score,
                                signature=str(m.get_signature())))
    for i, h in enumerate(hyps):
        sentence_refs = [r[i] for r in refs if r[i]]
        s = sacrebleu.sentence_bleu(h, sentence_refs)
        out["sentence_bleu"].append(dict(case=case, index=i, hyp=h, refs=sentence_refs, score=s.score))

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden.json")
with open(path, "w", encoding="utf-8") as f:
    json.dump(out, f, ensure_ascii=False, indent=1)
print("wrote", path, len(out["bleu"]), "BLEU,", len(out["chrf"]), "chrF,", len(out["sentence_bleu"]), "sentence values")
