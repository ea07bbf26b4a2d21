"""Writes ptb_golden.json: NLTK's TreebankWordTokenizer (convert_parentheses=True) on sentences written for this
test (no corpus text), the reference for PtbTokenizerTest. Run with NLTK 3.10.3:
    python3 make_ptb_golden.py > ptb_golden.json
"""
import json
import nltk
from nltk.tokenize import TreebankWordTokenizer

SENTENCES = [
    "Confidence in the pound is widely expected to take another sharp dive.",
    'He said, "I can\'t do it (really)."',
    "The U.S. economy grew 3.5% in 1989, didn't it?",
    "They're gonna pay $1.5 billion -- or more...",
    "Prices rose 12,000 points; analysts said: wait!",
    "She'll say it's John's car, not Mary's.",
    "We've seen [brackets] and {braces} and <angles>.",
    "'Tis the season, 'twas said.",
    "I cannot believe you'd do that, d'ye hear?",
    "Gimme the book, lemme see, I wanna go, we gotta run.",
    "More'n enough people came at 3:30 p.m. yesterday.",
    "The index fell 1.2 points to 2,569.26 on Monday.",
    "A.T.&T. Corp. said its profit rose 25 %.",
    '"Stop," she said. "Now."',
    "Rock 'n' roll isn't dead.",
    "He asked: why? She answered: because!",
    "E-mail me at someone@example.com #hashtag & more.",
    "Ms. Smith's firm, Smith & Co., will close.",
    "It costs $ 5, or about 4 euros.",
    "The ``quoted'' words stay quoted.",
    "WE'RE SHOUTING, AREN'T WE?",
    "Don't, won't, shouldn't, can't, ain't.",
    "The year-end figure (excluding items) was 1.5 million.",
    "Mr. O'Neil went to Washington.",
    "She said 'hello' to them.",
    "Values: 1,000, 2,000 and 3,000.",
    "Nothing to split here",
    "Ends with a quote.\"",
    "(Parenthetical start) then text.",
    "Trailing period after bracket (like this).",
    "Ellipsis in the... middle.",
    "Numbers like 3.14 and .5 and 5. stay",
    "Hello , world !",
    "The firm's '90s results; the 1990's results.",
    "Über café naïve façade résumé.",
    "Tabs\tand  double  spaces.",
]

tok = TreebankWordTokenizer()
print(json.dumps({"nltk": nltk.__version__,
                  "cases": [{"text": s, "tokens": tok.tokenize(s, convert_parentheses=True)} for s in SENTENCES]},
                 ensure_ascii=False, indent=1))
