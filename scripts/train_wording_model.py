"""Rebuild the bundled wording model (src/navigator/screening/engine/wording.json) from the development sets.

    .venv/bin/python scripts/train_wording_model.py [--check]

Trains on the development sets listed in TRAINING_SETS, and the partner reading (whether a record whose only strong
signs are a partner's coercive control reads like domestic abuse) on those and PARTNER_READING_SETS too: routine10,
routine12 and routine16, three forces' domestic abuse and safeguarding records, and partners, exploitation by partners
recorded as domestic abuse. The blind sets under tests/screening/data (blind2 to blind11), partners2, partners_review
and the other sets of ordinary records stay unseen so that they measure the model honestly.
--check only reports whether the bundled file is what the current sets and code produce (the test suite checks the
same).
"""

import argparse
import json
import sys
from pathlib import Path

from navigator.screening.engine.library import Indicator
from navigator.screening.engine.wording import DEFAULT_MODEL_RESOURCE, train

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "screening" / "data"
TARGET = ROOT / "src" / "navigator" / "screening" / "engine" / DEFAULT_MODEL_RESOURCE
TRAINING_SETS = ("labelled", "heldout", "blind", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "dev10",
                 "dev11")
PARTNER_READING_SETS = ("routine10", "routine12", "routine16", "partners")
VERSION = "2026.8.0"
THRESHOLD = 0.7
INDICATOR = Indicator(
    id="wording_like_cases",
    name="Wording like potential modern slavery cases",
    category="learned_wording",
    explanation=(
        "Taken as a whole, the wording of this record resembles narratives judged potential modern slavery, "
        "and it also shows at least one indicator. This is a statistical resemblance learned from labelled "
        "example narratives, not a sign in itself: the highlighted sentence weighs most. Read the record and "
        "decide; say in your reason what you saw."
    ),
    source="Navigator wording model: logistic regression over TF-IDF-weighted words, trained on the project's "
           "labelled synthetic narratives",
    weight=1.0,
    kind="control",
    patterns=(),
)
HOLD_BACK_BELOW = 0.1
HELD_BACK = Indicator(
    id="wording_unlike_cases",
    name="Wording like checked and ruled-out concerns",
    category="learned_wording",
    explanation=(
        "The indicators found here would flag this record, but taken as a whole its wording resembles narratives "
        "judged not to be modern slavery, most often concerns that were checked and ruled out (own documents and "
        "bank account, payslips seen, free to leave). The model lowers the score by this weight, so only strong "
        "indicator evidence still flags it; the highlighted sentence weighs most against. It is a statistical "
        "resemblance learned from labelled example narratives: if the signs look real to you, they are."
    ),
    source=INDICATOR.source,
    weight=-1.0,
    kind="context",
    patterns=(),
)


def _labelled(names):
    sets = {}
    for name in names:
        with (DATA / f"{name}.jsonl").open(encoding="utf-8") as lines:
            sets[name] = [(record["text"], record["label"]) for record in map(json.loads, lines)]
    return sets


def build():
    return train(_labelled(TRAINING_SETS), version=VERSION, threshold=THRESHOLD, indicator=INDICATOR,
                 hold_back_below=HOLD_BACK_BELOW, held_back=HELD_BACK, partner_sets=_labelled(PARTNER_READING_SETS))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with the bundled file instead of writing")
    args = parser.parse_args()
    model = build()
    text = model.to_json()
    if args.check:
        same = TARGET.read_text(encoding="utf-8") == text
        print(f"{TARGET.name} is {'up to date' if same else 'out of date: run this script without --check'}")
        return 0 if same else 1
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}: version {model.version}, {len(model.terms):,} words, "
          f"trained on {sum(model.trained_on.values()):,} narratives ({', '.join(model.trained_on)}); its partner "
          f"reading on {', '.join(PARTNER_READING_SETS)} too")
    return 0


if __name__ == "__main__":
    sys.exit(main())
