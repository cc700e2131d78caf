"""The wording model: same probabilities as the trained scikit-learn pipeline, rebuilt from the committed sets,
and it only promotes records that already show an indicator."""

import importlib.util
import json
from dataclasses import replace
from pathlib import Path

import pytest

from navigator.screening.engine import Screener
from navigator.screening.engine.wording import fit, load_wording_model

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"
SLAVERY = ("Female found working at a nail bar says the boss keeps her passport and she works 14 hours a day to pay "
           "off a debt of 5000 pounds to the man who brought her to the UK.")


def _script():
    spec = importlib.util.spec_from_file_location("train_wording_model", ROOT / "scripts" / "train_wording_model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _records(name):
    with (DATA / f"{name}.jsonl").open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def model():
    return load_wording_model()


def test_bundled_model_is_what_the_training_sets_produce(model):
    rebuilt = _script().build()
    assert rebuilt.version == model.version and rebuilt.threshold == model.threshold
    assert dict(rebuilt.trained_on) == dict(model.trained_on) == {
        "labelled": 296, "heldout": 174, "blind": 246, "dev3": 320, "dev4": 300, "dev5": 300, "dev6": 300,
        "dev7": 300, "dev8": 300, "dev9": 300, "dev10": 300, "dev11": 300}
    assert rebuilt.terms.keys() == model.terms.keys()
    assert rebuilt.intercept == pytest.approx(model.intercept, abs=1e-6)
    assert all(rebuilt.terms[t] == pytest.approx(model.terms[t], abs=1e-6) for t in model.terms)
    reading, bundled = rebuilt.partner_reading, model.partner_reading
    partner_sets = {**model.trained_on, "routine10": 500, "routine12": 500, "routine16": 500, "partners": 60}
    assert dict(reading.trained_on) == dict(bundled.trained_on) == partner_sets
    assert reading.intercept == pytest.approx(bundled.intercept, abs=1e-6)
    assert reading.terms.keys() == bundled.terms.keys()
    assert all(reading.terms[t] == pytest.approx(bundled.terms[t], abs=1e-6) for t in bundled.terms)


def test_probability_is_the_trained_pipelines(model):
    training = [r for name in model.trained_on for r in _records(name)]
    vectorizer, classifier = fit([r["text"] for r in training], [r["label"] for r in training])
    unseen = [r["text"] for r in _records("blind2")] + ["", "Ünïcode wörds and £500 DEBT", "no words? 1 2 3"]
    expected = classifier.predict_proba(vectorizer.transform(unseen))[:, 1]
    assert [model.probability(text) for text in unseen] == pytest.approx(list(expected), abs=1e-9)
    partner_training = training + [r for name in ("routine10", "routine12", "routine16", "partners")
                                   for r in _records(name)]
    vectorizer, classifier = fit([r["text"] for r in partner_training], [r["label"] for r in partner_training])
    expected = classifier.predict_proba(vectorizer.transform(unseen))[:, 1]
    assert [model.partner_probability(text) for text in unseen] == pytest.approx(list(expected), abs=1e-9)


def test_the_partner_reading_holds_back_a_partners_coercive_control_the_model_alone_would_flag(model):
    """A domestic abuse log whose only strong sign is a partner's isolating her: the model's own coefficients read it
    as more like exploitation than not; the partner reading, fitted with domestic abuse records, holds it back."""
    text = ("2240 999 call from IP son (13) - mum's boyfriend is shouting and throwing things at 4 Elm Close. "
            "2301 PCs on scene. IP Jade Cole (27) says Ryan grabbed her by the throat after she asked about his "
            "gambling. IP says she is not allowed to see her friends and he goes mad if she visits her mum. He was "
            "fine until his mates came round. DP Ryan Pike (30) was calm, says they both said things. Injuries: "
            "redness to neck, photographed. DASH MEDIUM.")
    result = Screener(wording=model).screen(text)
    assert model.probability(text) >= 0.5 > model.partner_probability(text)
    assert not result.flagged
    assert "partner_signs_read_as_domestic_abuse" in result.indicators
    without = Screener(wording=replace(model, partner_reading=None)).screen(text)
    assert without.flagged


def test_promotes_a_record_with_an_indicator_and_names_its_sentence():
    text = ("Officers attended a car wash on Mill Road after a noise complaint. The workers are all men from "
            "abroad. One said the boss takes them to the site every morning and they sleep in a room at the back; "
            "he did not know the address.")
    with_model, alone = Screener().screen(text), Screener(wording=False).screen(text)
    assert not alone.flagged and alone.score > 0
    assert with_model.flagged and with_model.score == pytest.approx(alone.score + 1.0)
    learned = [hit for hit in with_model.hits if hit.indicator == "wording_like_cases"]
    assert len(learned) == 1 and learned[0].category == "learned_wording" and not learned[0].negated
    assert text[learned[0].start:learned[0].end] == learned[0].text
    assert learned[0].text.startswith("One said the boss takes them")


def test_never_flags_a_record_without_any_indicator(model):
    text = ("The females said they come here every day and the men tell them what to do and where to go, "
            "they are scared of the men.")
    assert model.probability(text) > 0.99, "the words alone read like the training cases"
    assert Screener(wording=False).screen(text).hits == ()
    assert Screener().screen(text).hits == (), "with no indicator the model has no say"


def test_one_line_records_get_no_opinion(model):
    assert model.probability("He works 14 hours a day.") >= model.threshold
    assert model.promotion("He works 14 hours a day.") is None
    assert not Screener().screen("He works 14 hours a day.").flagged


def test_routine_record_with_a_sector_mention_is_not_promoted():
    text = ("Burglary overnight at the hand car wash on Station Road. Till forced and cash taken. CCTV requested "
            "from the garage opposite; owner to supply a list of stolen property. Crime number issued.")
    result = Screener().screen(text)
    assert result.score > 0 and not result.flagged


def test_results_name_the_wording_model_they_depend_on(model):
    assert Screener().version == f"{Screener(wording=False).version} + wording {model.version}"


CHECKED_AND_RULED_OUT = (
    "Caller alleged that workers at a car wash are not paid. Officers attended with HMRC: the six staff are on the "
    "payroll, payslips seen at or above the minimum wage, paid weekly into their own bank accounts, each holds their "
    "own ID and lives at their own address. Spoken to alone, all said they are free to leave and happy with the "
    "work. No offences. Advice given to the owner about breaks.")


def test_holds_back_a_concern_that_was_checked_and_ruled_out(model):
    alone, engine = Screener(wording=False).screen(CHECKED_AND_RULED_OUT), Screener().screen(CHECKED_AND_RULED_OUT)
    assert alone.flagged, "the indicators alone flag it ('not paid', a car wash)"
    assert model.probability(CHECKED_AND_RULED_OUT) < model.hold_back_below
    assert not engine.flagged and engine.score == pytest.approx(alone.score + model.held_back.weight)
    held = [hit for hit in engine.hits if hit.indicator == "wording_unlike_cases"]
    assert len(held) == 1 and held[0].category == "learned_wording" and not held[0].negated
    assert CHECKED_AND_RULED_OUT[held[0].start:held[0].end] == held[0].text and "payslips seen" in held[0].text


def test_strong_indicator_evidence_is_never_held_back(model):
    doubting = replace(model, hold_back_below=0.999)  # would hold back every record it reads
    strong = Screener(wording=False).screen(SLAVERY)
    assert strong.score >= 1.0 - doubting.held_back.weight, "this much evidence outweighs the model"
    assert Screener(wording=doubting).screen(SLAVERY) == strong
    weak = "Worker at a car wash says she is not paid for her hours and the boss shouts at the staff every day."
    assert Screener(wording=False).screen(weak).flagged and not Screener(wording=doubting).screen(weak).flagged
    # A sign that flags a record on its own is never held back, however routine the rest reads.
    dismissed = ("IP was threatened that his family back home would be hurt if he went to the police. The matter was "
                 "recorded as a civil dispute and the parties were signposted to mediation.")
    alone = Screener(wording=False).screen(dismissed)
    assert alone.flagged and alone.score < 1.0 - doubting.held_back.weight
    assert Screener(wording=doubting).screen(dismissed) == alone


def test_an_explicit_reference_alone_can_be_held_back(model):
    """Naming a team or a procedure is a reason to look, not a sign of exploitation: when the record around it
    reads very unlike modern slavery (a check that found nothing), the model may hold it back."""
    checked = ("Welfare visit after a walker saw workers at a dairy farm. The eight seasonal workers came through a "
               "licensed scheme, hold their own passports, have payslips at or above the minimum wage and their own "
               "bank accounts, and go into town at weekends. Spoken to alone, no complaints. Outcome shared with the "
               "MSHT partnership. Intel submitted.")
    alone, engine = Screener(wording=False).screen(checked), Screener().screen(checked)
    assert alone.flagged and "explicit_modern_slavery" in alone.indicators
    assert model.probability(checked) < model.hold_back_below
    assert not engine.flagged and "wording_unlike_cases" in engine.indicators


def test_an_nrm_referral_is_never_held_back(model):
    """A referral into the NRM is an act of identification, not a mention: however routine the rest reads."""
    referred = ("NRM referral made by officers for the worker, who agreed. Spoken to with his partner present, he "
                "confirmed he has his own phone and bank account. Council updated. NFA.")
    assert model.probability(referred) < model.hold_back_below
    result = Screener().screen(referred)
    assert result.flagged and "wording_unlike_cases" not in result.indicators


def test_one_line_records_are_not_held_back(model):
    assert model.hold_back("Boss keeps her passport.") is None
    assert Screener().screen("Boss keeps her passport.").flagged


def test_a_partners_sign_the_model_would_promote_is_held_back_when_it_reads_as_domestic_abuse(model):
    """routine10's R10-003: a partner took her phone so she could not ring the police and checks it every night. The
    sign alone does not flag it; the model's own coefficients would promote it; the partner reading reads the log as
    domestic abuse, so it is held back, listed apart, instead of promoted."""
    record = next(r for r in _records("routine10") if r["ref"] == "R10-003")
    text = record["text"]
    assert model.probability(text) >= model.threshold and model.partner_probability(text) < 0.5
    result = Screener(wording=model).screen(text)
    assert not result.flagged and "wording_like_cases" not in result.indicators
    assert "partner_signs_read_as_domestic_abuse" in result.indicators
    promoted = Screener(wording=replace(model, partner_reading=None)).screen(text)
    assert promoted.flagged and "wording_like_cases" in promoted.indicators


def test_a_sign_in_a_sentence_naming_nobody_is_the_partners_when_the_record_names_a_partner(model):
    """dev12's D12-201: a husband locks the door at night because his wife has dementia; a neighbour's "she's kept
    locked in" names nobody. The record names a husband, so the sign is read as a partner's, and the partner reading
    holds the record back instead of flagging it."""
    record = next(r for r in _records("dev12") if r["ref"] == "D12-201")
    result = Screener(wording=model).screen(record["text"])
    assert not result.flagged and "partner_signs_read_as_domestic_abuse" in result.indicators


def test_dp_names_the_partner_whose_sign_the_partner_reading_holds_back(model):
    """routine12's R12-359, a one-line update: "IP disclosed DP locked her in the bedroom during last week's row." In
    police shorthand DP is the domestic abuse perpetrator, so the sign is a partner's and the record is held back,
    listed apart, instead of flagged."""
    record = next(r for r in _records("routine12") if r["ref"] == "R12-359")
    result = Screener(wording=model).screen(record["text"])
    assert "movement_confinement" in result.indicators
    assert not result.flagged and "partner_signs_read_as_domestic_abuse" in result.indicators


def test_a_domestic_abuse_log_whose_signs_flag_nothing_is_read_by_the_partner_reading_before_promotion(model):
    """routine10's R10-500: a 999 log of domestic abuse whose only sign is the caller's age, "IP daughter (14)". The
    model's own coefficients would promote it; the log frames itself as domestic abuse (DASH, DP), so the partner
    reading is asked first and holds it back, listed apart. A log framed the same way whose words read like
    exploitation is still promoted."""
    text = next(r for r in _records("routine10") if r["ref"] == "R10-500")["text"]
    assert model.promotion(text) is not None and model.partner_probability(text) < 0.5
    result = Screener(wording=model).screen(text)
    assert result.indicators == ["vulnerability_child", "partner_signs_read_as_domestic_abuse"]
    assert not result.flagged
    exploited = ("DASH MEDIUM. IP Andreea (19) from Romania says her boyfriend drives her to houses where men pay him, "
                 "and she is given nothing. She does not know the address of the flat she stays in.")
    promoted = Screener(wording=model).screen(exploited)
    assert promoted.flagged and "wording_like_cases" in promoted.indicators


def test_the_partner_reading_refitted_with_a_fourth_force_holds_back_its_coercive_control(model):
    """routine16's R16-435, an officer's statement: her partner took her phone, read her messages and slapped her.
    Model 2026.7.1's partner reading read it as exploitation (0.98) and the model promoted it; refitted with routine16,
    it reads it as domestic abuse, and the record is held back, listed apart."""
    text = next(r for r in _records("routine16") if r["ref"] == "R16-435")["text"]
    assert model.partner_probability(text) < 0.5
    result = Screener(wording=model).screen(text)
    assert not result.flagged and "partner_signs_read_as_domestic_abuse" in result.indicators
