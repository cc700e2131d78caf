"""Core engine behaviour: library, scoring, negation, spans, batching."""

import json
import time
from pathlib import Path

import pytest

from navigator.screening.engine import (
    DEFAULT_THRESHOLD,
    SUBSTANTIVE_KINDS,
    Library,
    LibraryError,
    Screener,
    load_library,
)

DATA = Path(__file__).parent / "data" / "labelled.jsonl"


def test_library_is_versioned_and_complete():
    lib = load_library()
    assert lib.version
    assert len(lib) >= 40
    for ind in lib:
        assert ind.id and ind.category and ind.source and len(ind.explanation) > 30
        assert 0 < ind.weight <= 1.5
        assert ind.patterns or ind.rules
    cats = set(lib.categories)
    for ilo in (
        "abuse_of_vulnerability",
        "deception",
        "restriction_of_movement",
        "isolation",
        "physical_and_sexual_violence",
        "intimidation_and_threats",
        "retention_of_identity_documents",
        "withholding_of_wages",
        "debt_bondage",
        "abusive_working_and_living_conditions",
        "excessive_overtime",
    ):
        assert ilo in cats, ilo


def test_sector_markers_are_low_weight_and_control_high():
    lib = load_library()
    for ind in lib:
        if ind.kind in ("sector", "context"):
            assert ind.weight < DEFAULT_THRESHOLD / 2
    assert lib.get("documents_retained").weight >= DEFAULT_THRESHOLD


def test_library_validation():
    with pytest.raises(LibraryError):
        Library.from_dict({"version": "1", "indicators": []})
    with pytest.raises(LibraryError):
        Library.from_dict(
            {
                "version": "1",
                "indicators": [
                    {
                        "id": "a",
                        "name": "n",
                        "category": "c",
                        "explanation": "e",
                        "source": "s",
                        "kind": "bogus",
                        "weight": 1,
                        "patterns": ["x"],
                    }
                ],
            }
        )


@pytest.mark.parametrize(("field", "value", "complaint"), [
    ("name", "", "'name' must be a non-empty string"),
    ("category", "Forced marriage", "'category' must be lowercase words joined by underscores"),
])
def test_library_names_a_bad_name_or_category(field, value, complaint):
    indicator = {"id": "a", "name": "A sign", "category": "debt_bondage", "explanation": "e", "source": "s",
                 "kind": "control", "weight": 1, "patterns": ["x"], field: value}
    with pytest.raises(LibraryError, match=complaint):
        Library.from_dict({"version": "1", "indicators": [indicator]})


def test_indicator_metadata_for_web_page(screener):
    d = screener.indicators[0].to_dict()
    assert set(d) == {"id", "name", "category", "explanation", "source", "weight", "kind"}
    assert d["name"] == "Modern slavery named in the record"
    assert "patterns" in screener.library.to_dict(patterns=True)["indicators"][0]


def test_sector_alone_does_not_flag(screener):
    r = screener.screen("Burglary at the nail bar and the car wash next door; brothel upstairs.")
    assert r.hits and not r.flagged
    assert all(screener.library.get(h.indicator).kind not in SUBSTANTIVE_KINDS for h in r.hits)


def test_combination_flags(screener):
    r = screener.screen("Nail bar worker says the boss keeps her passport.", ref="X1")
    assert r.flagged and r.ref == "X1"
    assert {"sector_nail_bar", "documents_retained"} <= set(r.indicators)
    assert r.score == pytest.approx(1.3)


@pytest.mark.parametrize(
    "text",
    [
        "No signs of exploitation at the car wash.",
        "Female denied being controlled by the male.",
        "Nothing to suggest she is a victim of modern slavery.",
        "Not believed to be trafficked into the UK.",
        "No evidence of debt bondage or forced labour.",
        "No concerns of CSE.",
        "Exploitation ruled out after interview.",
        "NRM not required.",
        "MSHT team consulted, no indicators.",
        "Passports are held by each crewman in his locker.",
    ],
)
def test_negated_hits_reported_but_do_not_score(screener, text):
    r = screener.screen(text)
    assert r.hits, text
    assert all(h.negated for h in r.hits), [(h.text, h.negated) for h in r.hits]
    assert r.score == 0 and not r.flagged


def test_negation_is_scoped_to_its_clause(screener):
    r = screener.screen("No concerns at the first address. At the second, the boss holds her passport.")
    doc = [h for h in r.hits if h.indicator == "documents_retained"]
    assert doc and not doc[0].negated and r.flagged
    r = screener.screen("IP denies any debt but says she works to pay off her travel to the agent.")
    assert r.flagged


@pytest.mark.parametrize(
    "prefix",
    ["", "Café Łódź — ", "Zoë's 😀 flat: ", "\u00e9\u00e8" * 50 + ". ", "lone \ud800 surrogate. "],
)
def test_spans_slice_the_original_text(screener, prefix):
    text = prefix + "IP says the gaffer keeps her passport, she works 7 days a week at the café nail bar."
    r = screener.screen(text)
    assert r.flagged
    assert len(r.hits) >= 3
    for h in r.hits:
        assert text[h.start : h.end] == h.text
        assert h.start >= len(prefix)


def test_batch_equals_single_and_spans_in_batch(screener):
    texts = [
        "Burglary, nothing taken.",
        "Łódź café: the boss keeps her passport.",
        "",
        "IP works 16 hours a day for no pay.",
        "Plain text about a lost dog.",
    ] * 50
    many = list(screener.screen_many((f"r{i}", t) for i, t in enumerate(texts)))
    assert [r.ref for r in many] == [f"r{i}" for i in range(len(texts))]
    for r, t in zip(many, texts):
        single = screener.screen(t, ref=r.ref)
        assert r == single
        for h in r.hits:
            assert t[h.start : h.end] == h.text


def test_matches_do_not_leak_across_records(screener):
    # "boss keeps her" at the end of one record, "passport" at the start of the next.
    res = list(screener.screen_many([("a", "the boss keeps her"), ("b", "passport was lost")]))
    assert all(not r.hits or r.hits[0].indicator != "documents_retained" for r in res)


def test_to_dict_shape(screener):
    d = screener.screen("Male found locked in a cannabis factory.", ref=7).to_dict()
    assert list(d) == ["ref", "score", "flagged", "hits"]
    assert set(d["hits"][0]) == {"indicator", "category", "start", "end", "text", "negated"}
    json.dumps(d)


def test_threshold_is_configurable():
    low = Screener(threshold=0.5)
    r = low.screen("He was locked in the flat.")
    assert r.flagged
    high = Screener(threshold=5)
    assert not high.screen("Boss keeps her passport, not paid, locked in.").flagged


def test_export_patterns_one_per_line(screener):
    pats = screener.export_patterns()
    phrases = {p for i in screener.indicators for p in i.patterns}
    rules = [r for i in screener.indicators for r in i.rules]
    assert len(pats) == len(set(pats))
    assert phrases <= set(pats)
    # each rule as one proximity regex per allowed order
    assert len(pats) == len(phrases) + sum(1 if r.ordered else 2 for r in rules)
    assert all("\n" not in p for p in pats)


def test_rule_anchors_are_the_rarer_group_in_ordinary_police_text(screener):
    """Every record holding an anchor term is matched exactly, so each rule's recorded anchor
    must be the group that is rarer in text without indicators: the labelled negatives and
    the routine narrative of the benchmark (regenerate the library's anchors with
    :func:`~navigator.screening.engine.pattern_analysis.choose_anchor` when either changes)."""
    import importlib.util
    import json
    import random
    from pathlib import Path

    from navigator.screening.engine.pattern_analysis import choose_anchor, group_frequency

    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location("bench_screening", root / "bench" / "screening.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    with (Path(__file__).parent / "data" / "labelled.jsonl").open(encoding="utf-8") as f:
        texts = [r["text"] for r in map(json.loads, filter(str.strip, f)) if not r["label"]]
    rng = random.Random(1)
    texts += [bench._narrative(rng, i) for i in range(2000)]
    worst = 0
    for rule in screener.rules:
        assert rule.anchor == choose_anchor(rule.a, rule.b, texts), rule
        worst = max(worst, group_frequency(rule.b if rule.anchor else rule.a, texts))
    assert worst <= 0.02 * len(texts)  # no rule sends more than 2% of ordinary records to exact matching


def test_self_possession_and_contrast():
    from navigator.screening.engine import Screener as S

    s = S()
    assert not s.screen("Workers at the farm hold their own passports and are paid weekly.").flagged
    assert not s.screen("She works independently and keeps all her money.").flagged
    assert s.screen("The boss holds her passport.").flagged
    # denied possession is control, not self-possession
    for text in ("He has no access to his own money and the boss keeps his passport.",
                 "The manager keeps the wages; she has no control over her own money."):
        r = s.screen(text)
        assert r.flagged and not any(h.negated for h in r.hits if h.indicator == "financial_control"), text
    # a contrastive conjunction separates a rule's terms: the denial stays with the debt
    r = s.screen("IP denies any debt but says she works to pay off her travel to the agent.")
    assert r.flagged and any(h.indicator == "debt_bondage" and not h.negated for h in r.hits)


def test_threads_can_share_one_screener(screener):
    """Imports in two threads of one process screen with the same Screener (each thread has its own scratch)."""
    from concurrent.futures import ThreadPoolExecutor

    texts = [f"Record {n}: the boss keeps her passport and she works to pay off a debt." if n % 3 == 0
             else f"Record {n}: a burglary at a hand car wash, nothing of note." for n in range(400)]
    expected = [result.to_dict() for result in screener.screen_batch(list(range(400)), texts)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        chunks = list(pool.map(lambda start: screener.screen_batch(list(range(start, start + 10)),
                                                                   texts[start:start + 10]), range(0, 400, 10)))
    assert [result.to_dict() for chunk in chunks for result in chunk] == expected
    assert sum(result["flagged"] for result in expected) == 134


@pytest.mark.parametrize(("text", "indicator", "negated"), [
    # A negator covers every noun joined by "or" ...
    ("Welfare visit to the car wash. No labour or sexual exploitation identified.", "sexual_exploitation_control",
     True),
    # ... but not a new clause that "or" starts, nor what follows "no" given as an answer.
    ("He said he cannot go out or they beat him.", "movement_confinement", False),
    ("Worker said if he says no they take his money and he has to work anyway.", "wages_withheld", False),
])
def test_negation_scope_around_or_and_a_spoken_no(screener, text, indicator, negated):
    hits = [hit for hit in Screener(wording=False).screen(text).hits if hit.indicator == indicator]
    assert hits and all(hit.negated == negated for hit in hits)


def test_log_shorthand_for_own_documents_is_self_possession():
    from navigator.screening.engine.negation import is_negated

    text = "Six workers spoken to at the car wash; ALL HOLD OWN DOCS."
    start = text.index("HOLD OWN DOCS")
    assert is_negated(text, start, start + len("HOLD OWN DOCS"))
    text = "Workers said the manager keeps the passports and they hold their own bank cards."
    start = text.index("keeps the passports")
    assert not is_negated(text, start, start + len("keeps the passports"))


@pytest.mark.parametrize(("text", "counted"), [
    ("His passport is held by the Home Office as part of his immigration bail conditions.", False),
    ("Employer kept his passport to photocopy it for the right to work check and returned it the same day.", False),
    ("Tour group: passports held by the tour leader as standard.", False),
    ("The boss keeps her passport and says she can have it when the debt is paid.", True),
    # An innocent explanation in another sentence does not excuse the hit.
    ("The boss keeps her passport. Her bank card was stolen from her room last year.", True),
])
def test_innocent_explanations_stop_a_document_hit_counting(text, counted):
    hits = [hit for hit in Screener(wording=False).screen(text).hits if hit.indicator == "documents_retained"]
    assert hits and any(not hit.negated for hit in hits) == counted


@pytest.mark.parametrize(("text", "negated"), [
    ("Officers spoke to the workers alone: no signs of exploitation, and the boss keeps her passport.", False),
    ("No signs of exploitation, while the manager keeps all the passports in the safe.", False),
    ("No evidence that the boss keeps her passport.", True),
])
def test_a_strong_negation_ends_where_a_new_statement_begins(text, negated):
    hits = [hit for hit in Screener(wording=False).screen(text).hits if hit.indicator == "documents_retained"]
    assert hits and all(hit.negated == negated for hit in hits), hits


@pytest.mark.parametrize(("text", "counted"), [
    ("Fire confined to the kitchen cabin (toaster), all 38 workers accounted for.", False),
    ("Damage was confined to the rear door and frame.", False),
    ("Elderly male confined to bed since his fall, carers attend twice a day.", False),
    ("Female attended the front counter, kept in the interview room with staff until the crisis team rang.", False),
    ("SP kept in custody overnight; he was interviewed in the morning.", False),
    ("The workers are confined to the caravan when they are not picking.", True),
    ("She was kept in the back room and he took her phone.", True),
    ("IP says they locked him in and he was kept in the flat for weeks.", True),
])
def test_fires_beds_and_custody_are_not_confinement(text, counted):
    hits = [hit for hit in Screener(wording=False).screen(text).hits if hit.indicator == "movement_confinement"]
    assert any(not hit.negated for hit in hits) == counted, hits


def test_library_names_a_bad_unless_pattern():
    indicator = {"id": "a", "name": "A sign", "category": "debt_bondage", "explanation": "e", "source": "s",
                 "kind": "control", "weight": 1, "patterns": ["x"], "unless": ["(unclosed"]}
    with pytest.raises(LibraryError, match="'unless' pattern '\\(unclosed'"):
        Library.from_dict({"version": "1", "indicators": [indicator]})


def _one_pattern_library(pattern: str) -> Library:
    return Library.from_dict({"version": "t", "indicators": [{
        "id": "probe", "name": "Probe", "category": "test", "explanation": "e", "source": "s",
        "kind": "control", "weight": 1, "patterns": [pattern]}]})


@pytest.mark.parametrize("pattern", [r"^boss keeps", r"keeps (?:her )?passport$", r"\Aboss", r"passport\Z"])
def test_anchored_patterns_are_refused_by_name(pattern):
    """RE2 (the gate) and Python's re read '$' differently at the end of a text, so anchors are refused."""
    with pytest.raises(ValueError, match=r"indicator probe: anchors are not allowed"):
        Screener(_one_pattern_library(pattern), wording=False)


@pytest.mark.parametrize(("text", "span"), [
    ("The boss\ud800keeps it.", (4, 14)),  # a lone surrogate (valid in JSON) is a non-word character everywhere
    ("The BOSS \u2014 KEEPS it.", (4, 16)),  # so is a non-ASCII dash, in upper case
    ("Der Boss\u00a0keeps it.", (4, 14)),
])
def test_every_stage_finds_what_the_python_pattern_finds(text, span):
    """The gate (RE2) and the locator (Hyperscan) read bytes; neither may drop a match Python's re finds."""
    result = Screener(_one_pattern_library(r"\bboss\W{1,3}keeps\b"), wording=False).screen(text)
    assert [(h.indicator, h.start, h.end) for h in result.hits] == [("probe", *span)]
    assert result.flagged


def test_non_ascii_inside_a_character_class_is_read_as_characters():
    screener = Screener(_one_pattern_library(r"\b(?:paid|earns) [£€]\d+ an hour\b"), wording=False)
    for text, found in (("She is paid €3 an hour.", True), ("She earns £4 an hour.", True),
                        ("She earns $4 an hour.", False)):
        assert bool(screener.screen(text).hits) is found, text


def test_the_locator_is_compiled_once_per_machine(tmp_path, monkeypatch):
    """Compiling the Hyperscan database takes seconds; a later process loads it from the cache instead,
    and a damaged cached copy is compiled again and replaced."""
    import hyperscan

    from navigator.screening.engine import screener as engine

    monkeypatch.setenv("NAVIGATOR_CACHE_DIR", str(tmp_path))
    library = _one_pattern_library(r"\bkeeps (?:her|his) passport\b")
    text = "The boss keeps her passport in a drawer."
    monkeypatch.setattr(engine, "_MATCHERS", {})
    first = Screener(library, wording=False).screen(text)
    [cached] = tmp_path.glob("locator-*.hsdb")

    def no_compiling(*args, **kwargs):
        raise AssertionError("compiled although the cache holds the database")

    monkeypatch.setattr(engine, "_MATCHERS", {})
    monkeypatch.setattr(hyperscan, "Database", no_compiling)
    assert Screener(library, wording=False).screen(text) == first
    monkeypatch.undo()

    monkeypatch.setenv("NAVIGATOR_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(engine, "_MATCHERS", {})
    damaged = bytearray(cached.read_bytes())
    damaged[-1] ^= 0xFF  # Hyperscan would load this one; the digest refuses it
    cached.write_bytes(bytes(damaged))
    assert Screener(library, wording=False).screen(text) == first
    assert cached.read_bytes() != bytes(damaged)
    assert [path.name for path in tmp_path.iterdir()] == [cached.name]  # no partial file left behind
    assert first.flagged and [h.text for h in first.hits] == ["keeps her passport"]


def test_a_pair_whose_second_term_is_negated_does_not_fire():
    """'no fee to any agent, no debt' lists what is absent (rules marked negation_breaks); the debt a controller is
    owed still counts."""
    screener = Screener(wording=False)
    absent = ["He paid for the trip himself, no fee to any agent, no debt.",
              "Tuition paid by her parents; no third party paid for travel, no loans or debts.",
              "Drivers choose their routes and days, no threats or debts.",
              "No one has offered him work, doesn't owe money to anyone, has his own ID card.",
              "No one has offered him work, doesn’t owe money to anyone."]
    for text in absent:
        assert "debt_bondage" not in {hit.indicator for hit in screener.screen(text).hits}, text
    assert "debt_bondage" in screener.screen("He owes the agent for the trip and must work it off.").indicators
    assert "debt_bondage" in screener.screen("He is working off the debt.").indicators
    assert "debt_bondage" in screener.screen("Owner told a customer the boy is paying off his trip.").indicators
    assert "debt_bondage" not in screener.screen("She is paying off her debt to the council.").indicators
    # Where absence is itself the sign, a negation does not break the pair.
    assert {"isolation_contact", "movement_monitored"} <= set(
        screener.screen("Not allowed out alone, no phone, the boss checks on her.").indicators)
    assert "wages_withheld" in screener.screen("The workers say they were not paid for three months.").indicators


@pytest.mark.parametrize(("text", "indicator"), [
    ("She was not locked in the room.", "movement_confinement"),
    ("He was never locked in.", "movement_confinement"),
    ("The workers were not locked inside the unit.", "movement_confinement"),
    ("The boss has never beaten him.", "violence_by_controller"),
    ("Her family were not threatened.", "threats_family"),
    ("The males aren't using her flat to deal.", "cuckooing"),
    ("The marriage was not forced.", "forced_marriage"),
    ("She denies being locked in.", "movement_confinement"),
    ("The workers were at no point locked in.", "movement_confinement"),
])
def test_a_negation_between_a_rules_terms_negates_the_second(text, indicator):
    """"She was not locked in" pairs "she" with "locked in" across the negation: the hit is reported, negated, on the
    term the negation covers, and the record scores nothing. Said without the negation, it counts."""
    screener = Screener(wording=False)
    result = screener.screen(text)
    hits = [hit for hit in result.hits if hit.indicator == indicator]
    assert hits and all(hit.negated for hit in hits), result.hits
    assert result.score == 0.0
    affirmed = text
    for negation, affirmation in (("not ", ""), ("never ", ""), ("aren't", "are"), ("denies being", "was"),
                                  ("at no point ", "")):
        affirmed = affirmed.replace(negation, affirmation)
    assert indicator in screener.screen(affirmed).indicators, affirmed


def test_no_before_a_harm_negates_it_but_not_before_a_thing_to_have():
    screener = Screener(wording=False)
    result = screener.screen("Asked about her family and children - no threats.")
    assert [hit.negated for hit in result.hits if hit.indicator == "threats_family"] == [True]
    assert result.score == 0.0
    assert "threats_family" in screener.screen("Asked about her family and children - threats.").indicators


@pytest.mark.parametrize(("text", "indicator"), [
    ("Not allowed out alone, no phone.", "isolation_contact"),
    ("He keeps all the money and won't give her any of it.", "financial_control"),
    ("She went out but was locked in when she came back.", "movement_confinement"),
    ("Manager (says he is not the owner) answered for them.", "third_party_control"),
    ("Her wages, she does not keep.", "wages_withheld"),
    ("She sees men at hotels and has no control over where she goes.", "sexual_exploitation_control"),
])
def test_a_negation_that_is_the_sign_or_covers_something_else_does_not_negate_a_pair(text, indicator):
    """"No phone" and "won't give her any" are the signs themselves; a negation of some other word between the terms
    leaves the pair counted."""
    assert indicator in Screener(wording=False).screen(text).indicators


@pytest.mark.parametrize(("text", "counted"), [
    ("He threatens to leave with the children if she tells anyone.", False),
    ("He threatened to leave with the children and to hurt her family in Romania if she stopped.", True),
    ("He knows where her children go to school.", True),
    ("MUM CONTACTED, KNOWS WHERE HE IS.", False),
    ("They know where my mum lives.", True),
    ("He threatened her family back home.", True),
    ("Her mother would die if she went to police, he said.", True),
])
def test_a_partners_threat_to_leave_is_not_a_threat_to_the_family(text, counted):
    assert ("threats_family" in Screener(wording=False).screen(text).indicators) is counted


@pytest.mark.parametrize(("text", "indicator", "counted"), [
    ("14yr old girl says parents won't let her go out to a party.", "movement_confinement", False),
    ("The girl, 15, says her uncle won't let her go out.", "movement_confinement", True),
    ("The father holds the children's passports under a court order.", "documents_retained", False),
    ("Teacher reports one pupil's passport missing from the class passports she held for the trip.",
     "documents_retained", False),
    ("The boss holds the workers' passports in the office.", "documents_retained", True),
    ("Worker lives in Castlebridge with partner, been at the car wash 2 years.", "living_at_workplace", False),
    ("He lives at the car wash in a portacabin.", "living_at_workplace", True),
    # ... and the signs beside such words still count (review).
    ("He said the boys were grounded and the boss locked them in the van.", "movement_confinement", True),
    ("Her stepdad won't let her out and locks her in her room.", "movement_confinement", True),
    ("She looks after the children and the mum won't let her out of the house.", "movement_confinement", True),
    ("Father told officers the 15yo is grounded and not allowed out this weekend.", "movement_confinement", False),
    ("The madam's mother keeps the girls' passports.", "documents_retained", True),
    ("School safeguarding lead made a home visit and the uncle has her passport.", "documents_retained", True),
    ("He lives at the farm with his wife and works 15 hours a day.", "living_at_workplace", True),
    ("They do not speak English.", "vulnerability_language", True),
    ("IP doesnt speak English.", "vulnerability_language", True),
    # Moving on, a car or house, or money in a bank scam is not criminal exploitation; moving what others deal is.
    ("Group of youths outside the Co-op were told to move on by PCSOs.", "criminal_exploitation", False),
    ("The driver was told to move his car off the zigzags.", "criminal_exploitation", False),
    ("She was told to move out by the landlord.", "criminal_exploitation", False),
    ('IP (m 74) received a call from "his bank" and was told to move £9,000 to a "safe account".',
     "criminal_exploitation", False),
    ("The boy, 15, was told to move the bags for them.", "criminal_exploitation", True),
    ("He was made to move drugs between the two flats.", "criminal_exploitation", True),
    ("She said she was forced to move.", "criminal_exploitation", True),
    ("He was told to hold it for the older lads.", "criminal_exploitation", True),
    ("The boy was told to run home by his mum.", "criminal_exploitation", False),
    ("He was told to run the line to Exeter.", "criminal_exploitation", True),
    ("He said he was forced to sell his car to pay the mortgage.", "criminal_exploitation", False),
    ("He was forced to sell drugs from the flat.", "criminal_exploitation", True),
    ("His passport was seized by Border Force at the port.", "documents_retained", False),
    ("The boss seized her passport when she arrived.", "documents_retained", True),
    ("They were moved to a hotel by the council after the fire.", "sexual_exploitation_control", False),
    ("She is moved to a different hotel every few days by the man who books the men.", "sexual_exploitation_control",
     True),
    ("The prisoner was locked in his cell overnight.", "movement_confinement", False),
    ("She is locked in her room by the boss at night.", "movement_confinement", True),
    ("The children are picked up by the school bus every morning.", "movement_transported", False),
    ("The workers are picked up by a minibus at 6am and taken to the factory.", "movement_transported", True),
    ("The man did not know the address where he was staying as he had just moved in.", "isolation_disorientation",
     False),
    ("The man did not know the address where he was staying or the name of his boss.", "isolation_disorientation",
     True),
    ("The club bouncer would not let him leave until the police arrived.", "movement_confinement", False),
    ("She said she cannot leave her husband because of the children.", "movement_confinement", False),
    ("He cannot leave the country because of his bail conditions.", "movement_confinement", False),
    ("The patient cannot leave the ward as she is sectioned.", "movement_confinement", False),
    ("She cannot leave the house; the boss has the keys.", "movement_confinement", True),
    ("The workers were locked in the unit until police arrived.", "movement_confinement", True),
    ("She says she cannot leave because he holds her passport.", "movement_confinement", True),
    ("The pupil was not allowed out at break time as a sanction.", "movement_confinement", False),
    ("The boy is not allowed out of the flat by the older males.", "movement_confinement", True),
    ("She is not allowed to see her children under the court order.", "isolation_contact", False),
    ("She is not allowed to see her family or call them, the man says.", "isolation_contact", True),
    ("The suspect is believed to be controlling several women who work as prostitutes.", "sexual_exploitation_control",
     True),
    ("He was charged with controlling prostitution for gain.", "sexual_exploitation_control", True),
    ("Controlling and coercive behaviour towards his partner; she is a sex worker.", "sexual_exploitation_control",
     False),
    ("The man works at the car wash and lives with his wife and children in town.", "living_at_workplace", False),
    ("He works at the car wash and lives with his wife at the car wash in a portacabin.", "living_at_workplace", True),
    ("The worker paid a recruitment fee to an agency in Nepal, which is illegal.", "recruitment_fees", True),
    ("She paid no agent fees, confirmed when interviewed alone.", "recruitment_fees", False),
    ("The suspect owes money to a drugs gang and has been threatened.", "debt_drug", True),
    ("He owes money to his brother.", "debt_drug", False),
    ("She was brought from Nigeria as a child to look after the family's children and has never been to school.",
     "domestic_servitude", True),
    ("She was brought up by her aunt to look after herself.", "domestic_servitude", False),
    ("He was made to sign a contract he could not read.", "deception_job_offer", True),
    ("The workers said they do not know the address of the house they live in.", "isolation_disorientation", True),
    # Things, animals and idioms locked in are not people confined; a person locked in beside them still is.
    ("Her keys were locked in the car with the engine running.", "movement_confinement", False),
    ("The dog was locked in a hot car outside the supermarket.", "movement_confinement", False),
    ("The drugs were locked in a safe in the bedroom.", "movement_confinement", False),
    ("The two men were locked in a fight outside the pub.", "movement_confinement", False),
    ("He was locked in a bitter custody battle with his ex-wife.", "movement_confinement", False),
    ("Her phone was locked in the safe and she was locked in the bedroom every night.", "movement_confinement", True),
    ("The workers were locked in the factory overnight by the owner.", "movement_confinement", True),
    ("Restaurant staff would not let him leave until he paid the bill.", "movement_confinement", False),
    ("The boss would not let her leave until she paid off her debt.", "movement_confinement", True),
    ("The resident was locked in her room at night by care home staff; adult safeguarding referral.",
     "movement_confinement", False),
    ("The care worker says the agency owner locks her in the house at night.", "movement_confinement", True),
    ("The caller says his boss is a slave driver who makes them work late on Fridays.", "explicit_modern_slavery",
     False),
    ("Officers believe the workers are victims of modern slavery.", "explicit_modern_slavery", True),
    ("Her solicitor holds her documents for the Home Office application.", "documents_retained", False),
    ("The agent kept her passport when she arrived.", "documents_retained", True),
    ("The male threatened to send the intimate images to his family unless he paid £500 in bitcoin.",
     "threats_family", False),
    ("He threatened to send the photos to her family if she stopped working for him.", "threats_family", True),
    ("The neighbour threatened to burn down the house and hurt her kids.", "threats_family", False),
    ("The landlord threatened to evict the family.", "threats_family", False),
    ("The gang threatened to hurt his family back home if he stopped.", "threats_family", True),
    ("Officers found twelve men living at the address, sleeping on mattresses.", "living_conditions_poor", True),
    # Someone who did not pay a bill, a fine or rent, or pay back a loan, was not denied wages.
    ("The customer did not pay for the goods and walked out of the store.", "wages_withheld", False),
    ("He has not paid his rent for three months and the landlord wants him out.", "wages_withheld", False),
    ("He was not paid back the money he lent to his friend.", "wages_withheld", False),
    ("Sextortion: he was told the video would be shared with his family if he did not pay.", "wages_withheld", False),
    ("The boss did not pay him for three months.", "wages_withheld", True),
    ("She was not allowed to keep her wages.", "wages_withheld", True),
    ("She has never received any money for the work she does in the house.", "wages_withheld", True),
    ("She has to pay £100 a week for a mattress in a shared room, taken from her wages.", "wages_withheld", True),
    ("She has to give the money from clients to the man who drives her.", "sexual_exploitation_control", True),
    ("They take his bank card and his PIN and he never sees his wages.", "financial_control", True),
    ("They said if she stopped working her family would have to pay the debt.", "debt_bondage", True),
    ("She was told she could not stop working until she paid off her debt.", "debt_bondage", True),
    ("The hairdresser sees about ten clients a day at the salon.", "sexual_exploitation_control", False),
    ("The massage therapist sees ten clients a day and the man takes her money.", "sexual_exploitation_control", True),
    ("She arranges the bookings for the holiday cottages.", "sexual_exploitation_control", False),
    ("He arranges her bookings and drives her to the hotels.", "sexual_exploitation_control", True),
    ("The punters in the betting shop said the male had been drinking all afternoon.", "sector_sex_work", False),
    ("She sees up to ten punters a day at the flat.", "sector_sex_work", True),
    ("The letting agent kept her deposit and says she owes for cleaning.", "debt_bondage", False),
    ("She owes the travel agent £5,000 for the trip.", "debt_bondage", True),
    # Adverts in fraud records are not sex adverts; hers, or an escort's, are.
    ("The advert for the car was posted by the suspect on Facebook Marketplace.", "sexual_exploitation_control",
     False),
    ("The advert was placed by a male using a false name; the phone was switched off after payment.",
     "sexual_exploitation_control", False),
    ("Her adverts are posted by her boyfriend.", "sexual_exploitation_control", True),
    ("Her profile on the adult website was set up by someone else.", "sexual_exploitation_control", True),
    ("The number on her escort advert is answered by a man.", "sexual_exploitation_control", True),
    ("The caller's phone was answered by a man who said she was out.", "sexual_exploitation_control", False),
    ("The registered sex offender forced entry to the flat through the kitchen window.",
     "sexual_exploitation_control", False),
    ("He forced the door of the hotel room and stole a laptop.", "sexual_exploitation_control", False),
    ("The travel agent arranges hotels for the football team.", "sexual_exploitation_control", False),
    ("He arranges the hotels and she sees men there.", "sexual_exploitation_control", True),
    ("She said she had to sleep with the landlord's friends instead of paying rent.", "sexual_exploitation_control",
     True),
    ("The landlord offered her a room in exchange for sex.", "sexual_exploitation_control", True),
    ("The factory keeps workers' phones in lockers during shifts for safety reasons.", "movement_monitored", False),
    ("Mobile phones are not allowed on the production line; workers leave them in the canteen.",
     "movement_monitored", False),
    ("The school confiscated his phone during lessons and returned it at the end of the day.", "movement_monitored",
     False),
    ("The boss keeps their phones in a locker in his office and they can only use them on Sundays.",
     "movement_monitored", True),
    ("Phones are not allowed in the house and the boss checks their bags.", "movement_monitored", True),
    ("Female in mental health crisis, not allowed to leave A&E until assessed by the crisis team.",
     "movement_confinement", False),
    ("She is not allowed to leave the house until the boss returns.", "movement_confinement", True),
    ("The care worker has not been paid for months and the agency holds her passport.", "wages_withheld", True),
    ("The windows were boarded up after the burglary.", "movement_confinement", False),
    ("The door was padlocked shut by the bailiffs.", "movement_confinement", False),
    ("The shop was locked from the outside by the owner at night after closing.", "movement_confinement", False),
    ("The shop was locked from the outside after closing with the two workers still inside.", "movement_confinement",
     True),
    ("The workers are locked in the factory after closing every night.", "movement_confinement", True),
    ("The grow house door was padlocked from the outside.", "movement_confinement", True),
    ("Parking dispute: he would not let her leave her drive until she moved her car.", "movement_confinement", False),
    ("The student said his visa allows him to work 20 hours a week.", "excessive_hours", False),
    ("She works 16 hours a day at the nail bar.", "excessive_hours", True),
    ("He works 80 hours a week at the car wash.", "excessive_hours", True),
    ("The youth was made to feel intimidated by older boys at the bus stop.", "criminal_exploitation", False),
    ("He was made to feel stupid by the older lads and then made to carry the bag for them.", "criminal_exploitation",
     True),
    # An owner or manager assaulted is a crime report; one who assaults a worker is a sign.
    ("The drunk male punched the shop owner when he was refused alcohol.", "violence_by_controller", False),
    ("The shoplifter assaulted the store manager and ran off.", "violence_by_controller", False),
    ("The owner of the takeaway was assaulted by a group of youths.", "violence_by_controller", False),
    ("She was assaulted by the manager when she asked for her pay.", "violence_by_controller", True),
    ("He was punched by the owner of the car wash.", "violence_by_controller", True),
    ("The owner hit the worker and told him he would not be paid.", "violence_by_controller", True),
    ("The family were forced to move out by the flood.", "criminal_exploitation", False),
    ("Probation holds his passport as part of his licence conditions.", "documents_retained", False),
    ("His probation officer says the boss holds his passport.", "documents_retained", True),
    ("His mum has his passport because he keeps losing things.", "documents_retained", False),
    ("The gangmaster keeps their passports because he says they keep losing them.", "documents_retained", True),
    # A Border Force command's ordinary day: lawful holders, escorts, controls and debts said to be settled.
    ("Family (2 adults, 4 children) - children's passports held by father. Birth certs shown.", "documents_retained",
     False),
    ("The girls' passports held by a man who says he is their uncle.", "documents_retained", True),
    ("Escorted removal, 2 escorts. Passport (HO held) handed to escort lead.", "documents_retained", False),
    ("Impostor: genuine holder traced, passport retained and sent to HMPO.", "documents_retained", False),
    ("The boss retained her passport and sent it to his brother.", "documents_retained", True),
    ("Crew change: ship's agent (Haven Maritime) holding passports for processing.", "documents_retained", False),
    ("Passports held by master as per usual.", "documents_retained", False),
    ("Skipper holds all 4 passports and the crew have not been ashore for months.", "documents_retained", True),
    ("Unaccompanied minor under the airline's service, escorted by crew, collected by her mother.",
     "movement_transported", False),
    ("The women are escorted by the boss to and from the salon.", "movement_transported", True),
    ("Shipping agent emailed the crew list. No shore leave requests.", "movement_confinement", False),
    ("No shore leave for months, the crew are kept on board.", "movement_confinement", True),
    ("eVisa not showing. Not allowed to leave the controls area until status verified.", "movement_confinement", False),
    ("She is not allowed to leave the house until the debt is paid.", "movement_confinement", True),
    ("Static caravans on the farm, £65 a week deducted per contract, which they showed us.", "wages_withheld", False),
    ("£80 a week is deducted for a caravan shared by eight men, leaving him with almost nothing.", "wages_withheld",
     True),
    ("All state they paid a smuggler EUR 3,000 in Calais, nothing owed, want asylum.", "debt_bondage", False),
    ("The student paid the agent fee upfront and owes nothing.", "debt_bondage", False),
    ("She owes nothing to the bank, but the man who brought her says she owes him £4,000 for the flight.",
     "debt_bondage", True),
    ("Parcel: 6 x UK debit cards (app banks) in the same six names.", "bank_cards_held", True),
    # A city force's domestic abuse and family records: hospitality, a parent's rules and a teenager's keep.
    ("Says the row started about his mate sleeping on the sofa and he punched her once.", "domestic_servitude", False),
    ("She sleeps on the sofa and does all the cooking and cleaning for the family.", "domestic_servitude", True),
    ("Son (17) punched a wall during a row with his mum over his phone being confiscated.", "movement_monitored",
     False),
    ("Her mum took her phone after she came home late.", "movement_monitored", False),
    ("The man who runs the flat took her phone and her mum cannot reach her.", "movement_monitored", True),
    ("His dad takes half of his wages from his Saturday job for his keep.", "wages_withheld", False),
    ("His uncle takes half of his wages for the debt he owes.", "wages_withheld", True),
    ("His dad takes all of his wages from the car wash.", "financial_control", True),
    # Border and immigration voices (dev13): the person's own documents, and signs said in a log's or a victim's words.
    ("Spoken to alone: she holds her passport, return ticket in 2 weeks.", "documents_retained", False),
    ("Interviewed separately: they kept their passports and phones throughout.", "documents_retained", False),
    ("He holds her passport and does the talking.", "documents_retained", True),
    ("The boss holds his passport.", "documents_retained", True),
    ("Skipper has his passport. Transit visa.", "documents_retained", True),
    ("LTE ARR. F PAX BGR 20. MALE IN ARR HALL PAID TKT, HOLDS HER ID 'FOR JOB'.", "documents_retained", True),
    ("One has no ID - Florin has it.", "documents_retained", True),
    ("He already says I owe him for the ticket and the clothes.", "debt_bondage", True),
    ("Small boat. £3k more due on arrival - work at the barbershop till paid.", "debt_bondage", True),
    ("First she must work in the friend's shop to pay for the ticket and the room.", "debt_bondage", True),
    ("Visa money we pay after from the work, they cut from salary.", "debt_bondage", True),
    ("CANT NAME EMPLOYER OR ADDR.", "isolation_disorientation", True),
    ("New starter, first day, cannot name the farm yet.", "isolation_disorientation", False),
    ("9 UK bank cards in other names in his wallet.", "bank_cards_held", True),
    ("PHL deckhand: not ashore in 11 mths.", "movement_confinement", True),
    ("Employer has his online banking login and transfers £700 back each month.", "financial_control", True),
    ("TKT ON 3RD PARTY CARD. PHONE MSG 'YOU OWE US FOR TICKET+ROOM'.", "movement_transported", True),
    ("Driver had all four ID cards in his jacket, said he was holding them for the hotel.", "documents_retained", True),
    ("Nanny stood at the back while the PA answered questions for her.", "third_party_control", True),
    ("The interpreter answered questions for her as she speaks no English.", "third_party_control", False),
    ("She fears going home early because the debt stays and the family's land is security.", "debt_bondage", True),
    ("His parents' house was used as security for his business loan with the bank.", "debt_bondage", False),
    ("Recruiter at home charged £4,000; she borrowed it at 5% a month.", "recruitment_fees", True),
    ("He gets £60 - 'Marius take rest for room'.", "wages_withheld", True),
    ("The eldest said: 'They tell us to say tourist.'", "scripted_account", True),
    ("Men seen walked to and from the workshop as a group by the same male.", "movement_transported", True),
    # Domestic abuse records (routine12): a family court matter, a relative's threat, a meal ordered, work for nothing.
    ("IP advised DP has hidden her passport so she can't take the kids abroad - family court matter.",
     "documents_retained", False),
    ("The boss keeps her passport so she can't take the job in London.", "documents_retained", True),
    ("IP says her son has threatened to put her in a home and took her phone.", "threats_family", False),
    ("The man threatened to hurt her son if she went to the police.", "threats_family", True),
    ("Since they split up her ex ordered takeaways to her address and sends 40 messages a day.", "sector_other_labour",
     False),
    ("She works 14 hours a day at the takeaway and sleeps in the back room.", "sector_other_labour", True),
    ("DP makes her work in his brother's shop for nothing.", "forced_labour_coercion", True),
])
def test_ordinary_look_alikes_of_a_forces_day(text, indicator, counted):
    assert (indicator in Screener(wording=False).screen(text).indicators) is counted


@pytest.mark.parametrize(("text", "indicator", "counted"), [
    # Library 2026.27.0: signs in everyday words (dev17), and the look-alikes beside them.
    ('Nail tech whispered "no money, no passport, help" while doing her nails.', "plea_for_help", True),
    ("She whispered that she would ring back later.", "plea_for_help", False),
    ("Neighbours' family have had his bank card for 2 years \"to help\".", "financial_control", True),
    ('London "mates" stay at his flat, have his bank card.', "financial_control", True),
    ("His mates have his car keys while he is away.", "financial_control", False),
    ('He doesn\'t have money or a bank card - "the boss sorts it".', "financial_control", True),
    ('He does the yard and the pigs, "for food and a roof".', "wages_withheld", True),
    ('"I just do what they say or there\'s no dinner."', "threat_if_refusing", True),
    ('She wanted to go home at Christmas but he said "after we pay the debt".', "debt_bondage", True),
    ("He plans to go home once he has saved enough for a deposit.", "debt_bondage", False),
    ("The driver handed me all 3 ID cards and both passports from his door pocket.", "documents_retained", True),
    ("Officers handed back all 3 passports after the checks.", "documents_retained", False),
    ('Asked who paid for their coach - "he did, we give back from the wages".', "debt_bondage", True),
    ("She has her own room, her own bank card, hasn’t any debts to the agency.", "debt_bondage", False),
    ("He borrowed £300 to fix his car and promised to pay it back from his wages.", "debt_bondage", False),
    ("They have changed his locks and he has no key.", "cuckooing", True),
    ("No deductions from pay other than tax and NI.", "wages_withheld", False),
    ("He borrowed £300 and had promised to pay it back with his wages and had not.", "wages_withheld", False),
    ("Deductions for accommodation at the permitted rate are shown on the payslips.", "wages_withheld", False),
    ("CLIENT REFUSED TO PAY AND TOOK HER PHONE ON WAY OUT.", "wages_withheld", False),
    ('Caller says her boss is a "slave driver" making her stay late.', "explicit_modern_slavery", False),
    ("Uncle holds her passport in the family document folder with the other children's.", "documents_retained",
     False),
    ("Uncle holds her passport and she cannot go to school.", "documents_retained", True),
])
def test_everyday_words_for_signs_and_their_look_alikes(text, indicator, counted):
    assert (indicator in Screener(wording=False).screen(text).indicators) is counted



@pytest.mark.parametrize("text", [
    # Signs a review of library 2026.17.0-2026.17.6 found hidden by an excuse that named a bystander or a setting.
    'A neighbour called police after hearing the man threaten to hurt her family in Romania if she stopped working.',
    'The boss told her if she went to the neighbours for help he would hurt her family in Romania.',
    'He told her they would hurt her family back home unless she paid £20,000 for the journey.',
    'The boss threatened to evict them and said he would hurt their families if they went to the police.',
    'The driver would not let them out of the van until they paid the fare to the UK.',
    'They kept her in the house until she had paid the fare for her journey to the UK.',
    'Two Filipino carers said the care home owner locked them in the staff annexe at night, away from the residents.',
    'Her solicitor has her papers for the asylum claim and the boss keeps her passport.',
    'She told the GP she has to hand over the money from clients to the man who drives her.',
    'He tracks her by GPS on her phone and takes all the money from her clients.',
    'He did not pay rent as the farmer kept all his wages for the caravan.',
    'He went to the union because the gangmaster kept his wages and his passport.',
    'The workers, all students on visas, sleep on mattresses on the floor of the kitchen.',
    'He said he was locked in for two months at the farm.',
    'The women and their phones were locked in the back bedroom each night.',
    "She and her baby were locked in the bedroom every night by her husband's family.",
    "The victim said the gang's dogs were locked in with her in the kennel.",
    'The boss takes their phones during shifts and reads their messages.',
    'The gangmaster confiscated all their phones during work hours and only handed them back on Sunday.',
    'The landlord offered her a room in exchange for sex.',
    'She was not allowed to keep her wages.',
    'They take his bank card and his PIN and he never sees his wages.',
    'They said if she stopped working her family would have to pay the debt.',
    'The number on her escort advert is answered by a man.',
    'She has to give the money from clients to the man who drives her.',
    'The boss would not let her leave until she paid off her debt.',
    'Intel: youth is "OT" trapping in Hastings for a London line, holding the graft phone.',
    "The mother says her son keeps disappearing for days and comes back with cuts and new clothes.",
    'The adult with learning difficulties is made to claim benefits which his "friends" collect.',
    # Signs a review of libraries 2026.18.0-2026.19.2 found hidden by their excuses and negations.
    "Filipino domestic worker. Her passport is kept by his son, the employer, and she has not had a day "
    "off in two years.",
    "The girl's passport was held by her mother's boyfriend.",
    "Her employer held her passport to be sent to the embassy for renewal, but it was never sent.",
    "The women are escorted by security from the flat to the hotel each night.",
    "Master states no shore leave requested. Crew later told the chaplain they are not allowed off the vessel.",
    "No shore leave required as the owner does not permit crew off the vessel.",
    "She was not allowed to leave the house until her papers were done; 18 months later she has still not"
    " been out alone.",
    "Boss says the worker now owes nothing for the flight, only the £2,000 for the room and food.",
    "Step-dad takes her phone every night and reads her messages; she is 15 and he drives her to flats "
    "where older men are waiting.",
    "Dad takes £450 of her wages, tells her it's rent, and she is left with £20 for a 60 hour week at his"
    " brother's takeaway.",
    "Their cousin is sleeping on the couch and is kept off school to look after the younger children and "
    "do the cleaning.",
    "Asked who has his passport, the worker said the boss. He keeps his passport in the office safe with "
    "everyone else's.",
    "The lads said two men met them at the port; they kept their passports and drove them to the farm in a van.",
    "Asked the standard questions about her situation: the man who brought her takes all her wages and "
    "keeps her passport; none disclosed to any agency before.",
    "She was asked questions about her work and said she works 14 hours a day, 7 days a week for £20, and"
    " the boss keeps her ID; answered no to wanting help.",
    "The driver holds her passport, does she want to speak to us alone? A: No.",
    "Q: Do you owe anyone money for your journey? A: Not any more, I worked for the agent for two years without pay.",
])
def test_signs_beside_an_innocent_word_still_flag(screener, text):
    assert screener.screen(text).flagged


@pytest.mark.parametrize("text", [
    'He rang the number on the advert for the car, which was answered by a man who asked for a deposit.',
    'The receptionist hands the cash from bookings to the hotel manager each night.',
    'He offered the woman £40 in exchange for sex on Station Road.',
    'He said he could not keep his money at home because of the burglaries.',
    'Staff at the restaurant are not allowed to keep their tips under the new company policy.',
    "The agency manager said staff are not permitted to hold workers' passports.",
    'The employer is not allowed to deduct rent from their wages under the contract.',
    'He took his bank card to the cash machine and withdrew £50.',
    'His parents will pay off his debts with the bank.',
    'The male threatened to send the intimate images to his family unless he paid £500 in bitcoin.',
    'The neighbour threatened to burn down the house and hurt her kids.',
    'The landlord threatened to evict the family.',
    'Restaurant staff would not let him leave until he paid the bill.',
    'The taxi driver locked the doors and would not let her out until she paid the fare.',
    'The resident was locked in her room at night by care home staff; adult safeguarding referral.',
    'Her solicitor holds her documents for the Home Office application.',
    'The hairdresser sees about ten clients a day at the salon.',
    'The customer did not pay for the goods and walked out of the store.',
    'Her keys were locked in the car with the engine running.',
    'The prices were locked in for two years under the contract.',
    'The school confiscated his phone during lessons and returned it at the end of the day.',
    "Her son came home with bruises from football.",
    # Ordinary records the same review found flagged by the new signs of 2026.19.
    "Skipper had his passport and seaman's book, crew of 4 all EU nationals.",
    "Male 15 stopped in the town centre. No ID - mum has it.",
    "Daughter's passport was with the other female, her mother, at the next desk.",
    "Her friend owes her £60 for the ticket.",
    "He owes for the ticket to Ibiza.",
    "She has to work weekends at the bar to pay for her room in halls.",
    "He had to work two jobs to pay for the flights home for his mother's funeral.",
    "Nurse: the visa fees the trust paid are deducted from her salary over 12 months if she leaves early.",
    "Shoplifter found with credit cards in other people's names, stolen from gym lockers.",
    "He has not been off the boat for 3 days because of his bad leg.",
    "Injured agency worker does not know the name of the farm as the agency sends workers to different sites.",
    "Witness did not know the name of the company on the side of the van.",
])
def test_ordinary_records_that_look_like_signs_do_not_flag(screener, text):
    assert not screener.screen(text).flagged


def test_a_rules_negation_breaks_must_be_true_or_false():
    rule = {"a": ["debts?"], "b": ["trip"], "within": 3, "negation_breaks": "yes"}
    indicator = {"id": "a", "name": "A sign", "category": "debt_bondage", "explanation": "e", "source": "s",
                 "kind": "control", "weight": 1, "patterns": [], "rules": [rule]}
    with pytest.raises(LibraryError, match="'negation_breaks' must be true or false"):
        Library.from_dict({"version": "1", "indicators": [indicator]})
    rule["negation_breaks"] = True
    loaded = Library.from_dict({"version": "1", "indicators": [indicator]})
    assert loaded.indicators[0].rules[0].negation_breaks
    assert loaded.to_dict(patterns=True)["indicators"][0]["rules"][0]["negation_breaks"] is True


def test_an_innocent_reading_of_a_hits_own_words_excuses_that_hit_alone():
    indicator = {"id": "a", "name": "Locked in", "category": "movement_confinement", "explanation": "e",
                 "source": "s", "kind": "control", "weight": 1, "patterns": [r"\b(?:was|were) locked in\b"],
                 "unless_overlapping": ["(unclosed"]}
    with pytest.raises(LibraryError, match="'unless_overlapping' pattern '\\(unclosed'"):
        Library.from_dict({"version": "1", "indicators": [indicator]})
    indicator["unless_overlapping"] = [r"\bkeys were locked in\b"]
    library = Library.from_dict(Library.from_dict({"version": "1", "indicators": [indicator]}).to_dict(patterns=True))
    screener = Screener(library, wording=False)
    keys = screener.screen("Her keys were locked in the car.")
    assert not keys.flagged and [hit.negated for hit in keys.hits] == [True]
    both = screener.screen("Her keys were locked in the car and she was locked in the flat.")
    assert both.flagged
    assert [(hit.text, hit.negated) for hit in both.hits] == [("were locked in", True), ("was locked in", False)]


def test_an_indicators_mention_flag_must_be_true_or_false():
    indicator = {"id": "a", "name": "A mention", "category": "explicit_reference", "explanation": "e", "source": "s",
                 "kind": "explicit", "weight": 1, "patterns": ["msht"], "mention": "yes"}
    with pytest.raises(LibraryError, match="'mention' must be true or false"):
        Library.from_dict({"version": "1", "indicators": [indicator]})
    indicator["mention"] = True
    loaded = Library.from_dict({"version": "1", "indicators": [indicator]})
    assert loaded.indicators[0].mention
    assert Library.from_dict(loaded.to_dict(patterns=True)).indicators[0].mention


@pytest.mark.parametrize(
    "text",
    [
        "Female says she is locked in the flat and made to see men, no indicators of drug use.",
        "His passport is held by the gangmaster and he has not met his family since arriving.",
        "Worker says the boss keeps his passport, interpreter not required.",
        "Passports for the crew are held by each man's gangmaster on shore.",
    ],
)
def test_procedural_words_after_a_sign_do_not_negate_it(screener, text):
    """'Not required', 'not met' and 'no indicators' negate only a reference to a procedure ('NRM not required');
    after a real sign they are about something else."""
    result = screener.screen(text)
    assert result.flagged and not any(hit.negated for hit in result.hits), result.hits


@pytest.mark.parametrize(
    "text",
    [
        "He told her that if she runs off he will find her wherever she goes.",
        "IP states she doesn't keep any money in the house since the last burglary.",
        "Caller unable to give an address or a road name, line then dropped.",
        "Male found drunk in the town centre, crying and saying he wanted to go home. Taxi called.",
        "Elderly female with dementia found in the street, did not know which town this is. Returned to care home.",
        "Stopped at the port, he has his passport with him and his own bank card.",
        "Friends took her home in a taxi after the party.",
        "Borrowed 50 quid off his mate last month and now he says I owe him interest as well. Words of advice.",
        "Agency nurse states she goes where they send her, different wards each week. No concerns.",
        "Carers visit four times a day and they have his key. Welfare check completed, all well.",
        "Elderly female's pension is collected by her daughter who has power of attorney. No concerns.",
        "Witness declined to provide a statement, said he can't or they'll say he's a grass.",
        "I do the garden for her and she gives me my dinner on a Sunday, lovely lady.",
        "Y9 girl in a row with mum over her curfew, says she has to be home by ten or mum would kill her.",
    ],
)
def test_ordinary_wording_near_the_newer_signs_counts_nothing(screener, text):
    result = screener.screen(text)
    assert not result.flagged and not [hit for hit in result.hits if not hit.negated and hit.category not in
                                       ("abuse_of_vulnerability", "sector_marker")], result.hits


@pytest.mark.parametrize(
    "text",
    [
        "Caller says her family are taking her abroad to marry, she didn't agree, dad has her passport.",
        "Worker says he has her passport and she is not allowed out.",
        "The man she works for has her passport.",
    ],
)
def test_someone_else_having_her_passport_counts(screener, text):
    result = screener.screen(text)
    assert "documents_retained" in result.indicators and result.flagged


@pytest.mark.parametrize(
    "text",
    [
        "Seller posted the phone by tracked courier to the buyer. No money received in his account.",
        "Statement taken at scene next morning by phone, victim care details given.",
        "Owner says he bought them from a man in a van, cigarettes seized.",
        "Romanian national identity card found on the bus, handed in by the driver.",
        "Asked if he owed the boss anything or if anyone held his papers - no.",
        "Asked about anyone controlling her or money owed - none, came on a tourist visa bought herself.",
        "Father shouted and threatened to take mum to court to get the kids.",
        "Entry forced to save life. House secured, rear door boarded.",
        "Son says parents should be home and he hasn't spoken to them since Sunday.",
        "Child seen again at school by the social worker and said the same account.",
        "Neighbourhood team attended modern slavery awareness training and put up posters.",
        "Family of four arrived at the port with four passports and were allowed through.",
        "She keeps her ID documents in a locked drawer at home, burglary did not take them.",
        "Officers took his ID documents to verify identity at the roadside.",
        "DA incident: he accused her of being nice to his mates at the party and punched her.",
        "He owes council tax arrears and the council has added interest and fines, now over 2,000.",
        "Adult male in possession of cannabis, states he still owes them for the weed.",
        "Her son didn't pay his phone bill so she made him work it off doing chores.",
        "Residents say the travellers arrived on the field on Friday and they've taken over.",
        "Victim of a rape disclosed what he made her do, ISVA referral.",
        "Y8 girl was upset about what they make us do in PE, parent complained.",
        "Elderly female with dementia; her carer gives her a shopping list and takes her to the supermarket.",
        "Y10 pupil states the neighbour paid him 10 pounds to move stuff out of the shed on Saturday.",
        "Missing 13-year-old returned home in a taxi paid for by an older male relative, grandad confirmed.",
        "Fraud: 15-year-old's stolen bank card was used, an Uber was ordered by an unknown male.",
        "Given NRM leaflet as routine, both claimed asylum.",
        "Asked if the boss has his passport - no. Asked if he owes anyone money - no.",
    ],
)
def test_ordinary_records_of_a_forces_day_are_not_flagged(screener, text):
    """Ordinary records that the engine, or a draft of its library, flagged: a fraud, a found ID card, a checklist
    answered no, a court threat in a family row, a door boarded by police, a family's passports, chores."""
    result = screener.screen(text)
    assert not result.flagged, result.hits


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ("When I couldn't pay he said I could work it off.", "debt_claimed"),
        ("I ask for money he say I owe him more.", "debt_claimed"),
        ("The debt was 600 but he keeps adding fines for being late.", "debt_bondage"),
        ("The man gives the same address and holds their ID documents.", "documents_retained"),
        ("Every Saturday a man comes in with 5-7 ID cards, sends money in each person's name.", "documents_retained"),
        ("He comes back every morning and takes an envelope from each girl.", "financial_control"),
        ("I don't need paying, he feeds me.", "wages_withheld"),
        ("Does runs and minds the door, paid in gear.", "wages_withheld"),
        ("Y9 girl says she still has to pay him back for the weed.", "debt_drug"),
        ("An older boy gives him £20 to drop wraps to people in the park.", "county_lines"),
        ("She has to pay Kyle back by being nice to his friends.", "sexual_exploitation_control"),
        ("She asked the driver, do you know what they make you do?", "forced_labour_coercion"),
        ("Every day he gives me a list and drops me at shops to steal what is on it.", "forced_criminality"),
        ("Returned at 0300 in a taxi paid for by an unknown male.", "child_exploitation_signs"),
        ("Found crying on the landing, says they've took over, they give me a bottle.", "cuckooing"),
        ("Asked if he is paid - no, the boss keeps his wages.", "wages_withheld"),
        ("Asked if anyone holds his passport - yes, the boss keeps it.", "documents_retained"),
        ("Asked if the boss keeps his passport - no reply.", "documents_retained"),
        ("Passport - no, boss keeps it in the safe.", "documents_retained"),
        ("NRM referral submitted and she was given a Salvation Army leaflet.", "explicit_nrm_referral"),
        ("In the course of the welfare visit she disclosed she is a victim of modern slavery.",
         "explicit_modern_slavery"),
        ("She says the front door is always padlocked and she cannot leave the house.", "movement_confinement"),
        ("Females were kept locked in the flat, premises secured by police after the raid.", "movement_confinement"),
        ("Boss contacted him by phone and said he is never left alone at the site.", "movement_monitored"),
        ("Suspect charged with threats to kill after telling the worker he would kill her children if she left.",
         "threats_family"),
        ("Worker states no money received since he started at the factory in May.", "wages_withheld"),
        ("Asked if he was paid for the 16 hour shifts at the car wash - no.", "excessive_hours"),
        ("Asked if he keeps his passport himself - no.", "documents_retained"),
        ("Asked whether the boss pays him for working 7 days a week - no.", "excessive_hours"),
        ("Passport - none, boss holds it.", "documents_retained"),
        ("Wages - none, boss keeps the money.", "wages_withheld"),
        ("DA - CCB. Victim disclosed her partner takes her to his friends' houses where they pay him to have sex "
         "with her. DASH high, IDVA referral.", "sexual_exploitation_control"),
        ("DA incident. Partner has been letting his friends sleep with her in exchange for cash and drugs.",
         "sexual_exploitation_control"),
    ],
)
def test_signs_told_indirectly_count(screener, text, indicator):
    result = screener.screen(text)
    assert indicator in result.indicators, result.hits


@pytest.mark.parametrize("text", [
    "Q: Did anyone threaten you or your family? A: No. I could have said no.",
    "Q: Were you told what to say if stopped? A: No.",
    "Q: Do you or your family owe anyone money for the journey? A: No. It is finished.",
    "Officer note: the standard questions about being made to work, held against her will or threatened were asked and "
    "answered 'no'. Claim registered.",
    "All adults asked the standard questions about debts, work arrangements and threats; none disclosed owing anyone.",
])
def test_a_question_written_out_and_answered_no_negates_what_it_asked(screener, text):
    result = screener.screen(text)
    assert result.hits and all(hit.negated for hit in result.hits) and not result.flagged, result.hits


@pytest.mark.parametrize("text", [
    "Q: Has anyone threatened you or your family? A: The man who brought me, he said he will hurt my mother.",
    "Q: Are you paid for the work in the shop? A: No. The boss keeps her passport.",
    "Standard questions about his work were asked and answered no, but he then said the boss keeps his passport.",
    "Asked questions about his work: the boss keeps his passport and he is locked in at night.",
])
def test_a_question_answered_with_a_sign_still_counts(screener, text):
    assert screener.screen(text).flagged


def test_a_checklist_question_cannot_make_the_negation_scan_slow(screener):
    """A guard against a hang, not a speed target: 60 dashes after "asked" once took the question pattern 12 s, and
    150 would take hours, because it could split a run of punctuation in millions of ways."""
    text = "Safeguarding questions asked " + "-" * 60 + " boss keeps his passport and he gets no days off."
    started = time.perf_counter()
    assert screener.screen(text).flagged
    assert time.perf_counter() - started < 2.0
    # A checklist's questions followed by one sentence of thousands of signs: each hit reads a bounded stretch.
    text = "The standard questions about " + "the boss keeps his passport and locks him in, " * 2000 + "answered no."
    started = time.perf_counter()
    screener.screen(text)
    assert time.perf_counter() - started < 5.0


# A coercive-control record's tail, as domestic abuse logs read (the wording model reads it as unlike modern slavery).
_DA_TAIL = (" She works full time at a school, has her own car and her own bank account, and says she wants to leave "
            "him.")


@pytest.mark.parametrize("text, partners", [
    # Coercive control by a partner: the signs are reported, the record is held back, not flagged.
    ("Her husband keeps her passport and won't let her go out.", True),
    ("DASH MEDIUM. IP states he keeps her passport and won't let her go out after an argument.", True),
    ("DA - CCB. Partner checks her phone every night and keeps her bank card.", True),
    # The same signs in an exploiter's hands flag, in a domestic abuse record too.
    ("Her boss keeps her passport and won't let her go out.", False),
    ("DASH MEDIUM. The car wash owner keeps her passport and won't let her go out.", False),
    ("IP stopped at the airport. States her boyfriend's associates threatened to harm her brother.", False),
    # A partner who also sells or works the person is flagged as before.
    ("Her boyfriend keeps her passport and makes her sleep with men for money.", False),
    ("DA - CCB. He keeps her passport and she works 12 hours a day in his family's takeaway for nothing.", False),
    # Partner agencies are not partners, nor is an ex-soldier; a fiancée is.
    ("Referred by partner agencies: her passport is held by the man she works for.", False),
    ("Her ex-army friend keeps her passport and won't let her leave.", False),
    ("Her fiancée keeps her passport and won't let her leave.", True),
    # DA, DV and CCB mark domestic abuse only in capitals, and not as a name ("Ana DA SILVA") nor when negated.
    ("The da Silva family: he keeps her passport and won't let her leave.", False),
    ("Ana DA SILVA, Brazilian. Says he keeps her passport and won't let her leave.", False),
    ("No DV concerns. He keeps her passport and won't let her leave.", False),
    ("DV INCIDENT. HE KEEPS HER PASSPORT AND WONT LET HER LEAVE.", True),
    # A lone surrogate (possible in JSON) is read like any other character.
    ("DASH MEDIUM \ud800. He keeps her passport and won't let her leave.", True),
    # A partner's relatives or gang, or a partner acting with others, are not the partner.
    ("His wife's brothers took his passport and lock him in the shed at night.", False),
    ("Her ex-partner's OCG took her phone and locked her in a flat in Leeds.", False),
    ("Domestic abuse. His partner and her brothers took his passport and he works on their farm for food.", False),
    ("Controlling and coercive behaviour by the group. They took her passport and she is locked in.", False),
    ("Caught on his dash cam: he took her passport and she is locked in.", False),
    ("An ex offender took her passport and she is locked in.", False),
    # A partner who has died holds nothing: his relatives do.
    ("Since her husband died his brothers keep her passport and won't let her leave.", False),
    ("Widowed last year; the family took her passport and she is locked in.", False),
])
def test_coercive_control_held_by_a_partner_is_held_back_when_it_reads_as_domestic_abuse(screener, text, partners):
    result = screener.screen(text + _DA_TAIL)
    held_back = screener.library.domestic.held_back.id
    assert any(hit.indicator == "documents_retained" or hit.indicator.startswith(("movement", "financial", "threats"))
               for hit in result.hits if not hit.negated)
    assert result.flagged is not partners
    assert any(hit.indicator == held_back for hit in result.hits) is partners
    # Without the wording model nothing is held back: the signs flag as they always did.
    assert Screener(wording=False).screen(text + _DA_TAIL).flagged


def test_a_partners_signs_flag_when_the_record_reads_like_modern_slavery(screener):
    text = ("DASH MEDIUM. Her husband keeps her passport and won't let her go out. She says men come to the flat "
            "at night and give him money, and she owes him for her flight from Romania.")
    assert screener.screen(text).flagged


def test_domestic_context_is_read_from_the_library():
    indicator = {"id": "kept", "name": "Kept", "category": "test", "explanation": "e", "source": "s",
                 "kind": "control", "weight": 1, "patterns": [r"\bkeeps her passport\b"], "coercive_control": True}
    plain = Library.from_dict({"version": "1", "indicators": [indicator]})
    reason = {"id": "held", "name": "Held", "category": "learned_wording", "explanation": "e", "source": "s",
              "weight": -1}
    domestic = Library.from_dict({"version": "1", "indicators": [indicator], "domestic_context": {
        "partner": [r"\bhusband\b"], "others": [r"\bboss\b"], "framing": [r"\bDASH\b"], "held_back": reason}})
    text = "Her husband keeps her passport." + _DA_TAIL
    assert Screener(plain).screen(text).flagged
    held = Screener(domestic).screen(text)
    assert not held.flagged and "held" in {hit.indicator for hit in held.hits}
    assert Library.from_dict(domestic.to_dict(patterns=True)) == domestic
    with pytest.raises(LibraryError, match="domestic_context: 'others' pattern '\\(unclosed'"):
        Library.from_dict({"version": "1", "indicators": [indicator], "domestic_context": {
            "partner": ["husband"], "others": ["(unclosed"], "held_back": reason}})
    with pytest.raises(LibraryError, match="domestic_context: 'framing' pattern"):  # RE2: no lookarounds
        Library.from_dict({"version": "1", "indicators": [indicator], "domestic_context": {
            "partner": ["husband"], "others": ["boss"], "framing": ["DA(?! Silva)"], "held_back": reason}})
    with pytest.raises(LibraryError, match="domestic_context: 'framing' pattern 'x\\?' matches an empty text"):
        Library.from_dict({"version": "1", "indicators": [indicator], "domestic_context": {
            "partner": ["husband"], "others": ["boss"], "framing": ["x?"], "held_back": reason}})
    with pytest.raises(LibraryError, match="'partner', 'others' and 'held_back' go together"):
        Library.from_dict({"version": "1", "indicators": [indicator], "domestic_context": {"partner": ["husband"],
                                                                                          "others": ["boss"]}})
    with pytest.raises(LibraryError, match="'weight' must be a negative number"):
        Library.from_dict({"version": "1", "indicators": [indicator], "domestic_context": {
            "partner": ["husband"], "others": ["boss"], "held_back": {**reason, "weight": 1}}})
    with pytest.raises(LibraryError, match="'coercive_control' must be true or false"):
        Library.from_dict({"version": "1", "indicators": [{**indicator, "coercive_control": "yes"}]})
    with pytest.raises(LibraryError, match="'ruled_out_alone' must be true or false"):
        Library.from_dict({"version": "1", "indicators": [{**indicator, "ruled_out_alone": 1}]})
    alone = Library.from_dict({"version": "1", "indicators": [{**indicator, "ruled_out_alone": True}]})
    assert alone.get("kept").ruled_out_alone and alone.to_dict(patterns=True)["indicators"][0]["ruled_out_alone"]


@pytest.mark.parametrize("text, flagged", [
    ("Begging outside the station. Sleeps in a tent by the canal, says the money is for food.", False),
    ("Allotment society reports a man sleeping in a shed on plot 14 at the allotments.", False),
    ("The farm workers sleep in a shed on the farm and the boss keeps their passports.", True),
    ("He works on the allotments for the owner for no pay and sleeps in a shed there.", True),
])
def test_rough_sleeping_is_not_living_at_work(text, flagged):
    assert Screener(wording=False).screen(text).flagged is flagged


@pytest.mark.parametrize("text, indicator", [
    ("V says he punched her because she hadn't made enough.", "earnings_quota"),
    ("She sits outside the shop with a cup; if it's less than £40 he hits her.", "earnings_quota"),
    ("K makes her go 'live' on a website most nights and keeps the money.", "sexual_exploitation_control"),
    ("He told her to help with the 'bills' by seeing some older blokes he knows.", "sexual_exploitation_control"),
    ("She sews in the back room all day and is given food only.", "wages_withheld"),
    ("She makes him sign for parcels delivered to his flat and drive them to her friends.", "criminal_exploitation"),
])
def test_exploitation_by_a_partner_told_in_a_domestic_abuse_log_is_a_sign(text, indicator):
    assert indicator in {hit.indicator for hit in Screener(wording=False).screen(text).hits if not hit.negated}


@pytest.mark.parametrize("text", [
    "Homeless man given food and a bed for the night at the shelter.",
    "Dad slapped him because he didn't get enough sleep, he says.",
    "Mum made him collect the parcels from the depot.",
])
def test_ordinary_sentences_near_the_partner_signs_count_nothing(text):
    assert not [hit for hit in Screener(wording=False).screen(text).hits
                if hit.indicator in ("earnings_quota", "wages_withheld", "criminal_exploitation")]


def _counts(text: str, indicator: str) -> bool:
    """Does *indicator* count, un-negated, in *text* with the indicators alone?"""
    return any(hit.indicator == indicator and not hit.negated for hit in Screener(wording=False).screen(text).hits)


@pytest.mark.parametrize("text, flagged", [
    # Orders are applied for, refused, varied and served as routine: the order or the unit is a mention.
    ("FMPO application refused. Judge found insufficient evidence of any plan for marriage.", False),
    ("FMPO variation at the protected person's request, family compliant. FMU informed.", False),
    ("SEEN ALONE. ARRANGED MARRIAGE WITH FULL CONSENT - NO INDICATORS OF FORCE OR DURESS. FMU LEAFLET GIVEN.", False),
    ("She says it is arranged not forced and she is happy to marry him.", False),
    ("They married in 2015 and have two children.", False),
    # What happened to the person still counts, beside the order or not.
    ("FMPO obtained for 17yo female, family arranging marriage against her will in Bangladesh.", True),
    ("Friend received a message from her: 'they married me, I cant come back'.", True),
    ("Amy (26) lacks capacity re marriage; her parents have arranged for her to marry a man from abroad.", True),
    ("Her parents married her off at 15 to a cousin.", True),
    ("No indicators of force at first visit. She later disclosed she was being forced to marry her cousin.", True),
])
def test_a_forced_marriage_order_or_unit_is_a_mention_and_what_happened_is_the_sign(text, flagged):
    result = Screener(wording=False).screen(text)
    assert result.flagged is flagged, result.hits
    if "FMPO" in text or "FMU" in text:
        assert "forced_marriage_protection" in result.indicators


@pytest.mark.parametrize("text, negated", [
    ("Cuckooing checklist completed - not indicated.", True),
    ("CCE risk assessed - not indicated.", True),
    ("Worker says the boss keeps his passport, interpreter not indicated.", False),
])
def test_a_checks_outcome_not_indicated_negates_what_was_checked(text, negated):
    hits = Screener(wording=False).screen(text).hits
    assert hits and all(hit.negated is negated for hit in hits), hits


@pytest.mark.parametrize("text, counted", [
    ("Son (17) punched wall during row with mum over phone being confiscated.", False),
    ("Row with her step-dad over her phone being taken.", False),
    ("Row with the boss over her phone being taken and her passport kept.", True),
])
def test_a_row_with_a_parent_over_a_phone_taken_is_not_a_controller_monitoring(text, counted):
    assert ("movement_monitored" in Screener(wording=False).screen(text).indicators) is counted


@pytest.mark.parametrize("text, indicator, counted", [
    # Children's and young people's records (dev14): the signs in their own words ...
    ('She said Jay "tops my phone up every week so I have to answer when he rings".', "grooming_gifts", True),
    ("A train ticket for tomorrow 06:15, bought on a card in another name.", "county_lines_context", True),
    ("Two phones, one of which never stops vibrating during lessons.", "county_lines_context", True),
    ('Said "they gave it me to protect the pack".', "county_lines_context", True),
    ('X-ray: 6 packages in rectum. Says "had to plug it, they was waiting at Saltmere".', "criminal_exploitation",
     True),
    ('Src states subj "on tick" to Kane for £400.', "debt_drug", False),
    ('YOT: Leon said "it\'s 1.5 on my head".', "debt_drug", True),
    ('"I\'m on shift for the olders till it\'s paid."', "debt_drug", True),
    ("I tried to stop last week and they said they'd post my nudes on my uni group chat.", "threat_if_refusing", True),
    ("They said if I close the account they'll do my legs.", "threat_if_refusing", True),
    ('She said "they\'ll share the pics if I don\'t go back Saturday".', "threat_if_refusing", True),
    ("Subj F, 17, being sold for sex by M, 23.", "sexual_exploitation_control", True),
    ('Says partners are "my boyfriend\'s friends", won\'t name them.', "child_exploitation_signs", True),
    ("L has no uncle called Jay per care plan.", "child_exploitation_signs", True),
    ('He now sleeps at the hostel "when they need the flat".', "cuckooing", True),
    ('Said he\'d been "on a line with Tee".', "county_lines", True),
    ('He had a paper with an address and the words "say you are 8".', "scripted_account", True),
    # ... and the ordinary records that share their words.
    ("The car stays at the garage until it's paid off.", "debt_drug", False),
    ("She tried to close the account and they said they would send a letter.", "threat_if_refusing", False),
    ("Scammer said he will share the pics if I don't pay £500.", "threat_if_refusing", False),
    ("She has sold sex in the past and works independently.", "sexual_exploitation_control", False),
    ("She keeps her phone and money in her bag.", "financial_control", False),
    ("She went to the cinema with her boyfriend's friends.", "child_exploitation_signs", False),
    ("Caller stayed on the line with the call handler.", "county_lines", False),
    ("Her phone keeps ringing with calls from her ex.", "county_lines_context", False),
    ("Staff cover the food to protect the food from flies.", "county_lines_context", False),
])
def test_young_peoples_signs_in_their_own_words(text, indicator, counted):
    assert _counts(text, indicator) is counted


@pytest.mark.parametrize("text, indicator, counted", [
    # Young people's ordinary records (routine13) ...
    ("Passport held by her social worker under the care plan as is standard.", "documents_retained", False),
    ("Found property - wallet with a college ID for Aaron MARSH 16 handed in at the front office.",
     "documents_retained", False),
    ("Kept her own passport - agency took photocopies for right to work checks.", "documents_retained", False),
    ("Apprentice driving his employer's van, hit the rear of a stationary car at the lights.",
     "violence_by_controller", False),
    ("14yo had his Apple Watch taken by 2 older boys on the canal path.", "criminal_exploitation", False),
    ("Kayla (17) has got a job as a 'runner' on a TV production in town.", "county_lines", False),
    ("No older people, no one paid for anything for him.", "wages_withheld", False),
    ("Vulnerability visit (cuckooing prevention list) - lives alone, flat tidy.", "cuckooing", False),
    # ... and the signs beside them.
    ("Passport held by the man she works for, not by her social worker.", "documents_retained", True),
    ("The boss hit him with a pipe when the van was late.", "violence_by_controller", True),
    ("The 14yo is made to sell for the older boys, who took his phone.", "criminal_exploitation", True),
    ("Boys aged 14 used as runners for a line from the city.", "county_lines", True),
    ("He was never paid for the work and no one paid for his food.", "wages_withheld", True),
    ("Dealers have cuckooed the flat of a vulnerable man.", "cuckooing", True),
    ("Anyone talk about money owed for the journey? No - he owes the agent £3,000 and works it off.", "debt_bondage",
     True),
])
def test_young_peoples_ordinary_records_are_not_signs(text, indicator, counted):
    assert _counts(text, indicator) is counted


@pytest.mark.parametrize("text, indicator, counted", [
    ("Contract seen, pocket money paid weekly, and her own passport kept by her.", "documents_retained", False),
    ("Her passport held by her daughter who had gone ahead in the car.", "documents_retained", True),
    ("Tutors notice new kit and a branded holdall.", "violence_by_controller", False),
    ("He was branded with the gang's mark by the boss.", "violence_by_controller", True),
    ("Phone checked with Tia's consent: chats with school friends.", "movement_monitored", False),
    ("Her phone is checked by him every night.", "movement_monitored", True),
    ("The boss keeps her wages and gives her £20.", "wages_withheld", True),
])
def test_a_persons_own_things_and_consented_checks_are_not_a_controllers(text, indicator, counted):
    assert _counts(text, indicator) is counted


def test_a_child_victim_is_read_from_the_librarys_domestic_context():
    indicator = {"id": "child", "name": "Child", "category": "test", "explanation": "e", "source": "s",
                 "kind": "context", "weight": 0.4, "patterns": [r"\bIP \(1[0-7]\)"]}
    reason = {"id": "held", "name": "Held", "category": "learned_wording", "explanation": "e", "source": "s",
              "weight": -1}
    spec = {"version": "1", "indicators": [indicator], "domestic_context": {
        "partner": [r"\bboyfriend\b"], "others": [r"\bboss\b"], "framing": [r"\bDASH\b"],
        "child_victim": [r"\bIP \(1[0-7]\)", r"\bMFH\b"], "held_back": reason}}
    library = Library.from_dict(spec)
    assert library.domestic.child_victim == (r"\bIP \(1[0-7]\)", r"\bMFH\b")
    assert Library.from_dict(library.to_dict(patterns=True)) == library
    with pytest.raises(LibraryError, match="domestic_context: 'child_victim' pattern"):
        Library.from_dict({**spec, "domestic_context": {**spec["domestic_context"], "child_victim": ["(unclosed"]}})


@pytest.mark.parametrize("text, indicator, counted", [
    # A forced-marriage concern named as the record's topic is not forced marriage; what happened still is.
    ("FM concern NFA - Balbir Vyas, 24, nurse. Parents keen for her to marry.", "forced_marriage", False),
    ("Forced marriage - case closure. Consensual arranged marriage confirmed.", "forced_marriage", False),
    ("Forced marriage concern: she says she is being forced to marry her cousin in June.", "forced_marriage", True),
    # Exploitation by in-laws, told in a domestic abuse log (dev12).
    ("Her husband's family also make her work at the takeaway on Fridays to Sundays.", "forced_labour_coercion", True),
    ("Mum makes him do his homework at the kitchen table.", "forced_labour_coercion", False),
    ("Her wages go to her mother-in-law.", "wages_diverted", True),
    ("Her wages go into her own account.", "wages_diverted", False),
    ("She is told she owes them for the wedding.", "debt_claimed", True),
    ("She owes the caterer for the wedding.", "debt_claimed", False),
])
def test_forced_marriage_topics_and_exploitation_by_in_laws(text, indicator, counted):
    assert _counts(text, indicator) is counted


@pytest.mark.parametrize("text, indicator, counted", [
    # routine16's family records ...
    ("Her brother has locked himself in the bathroom threatening to self harm.", "threats_family", False),
    ("The carer was threatened by the son of a client when she asked about the pension.", "threats_family", False),
    ("Son-in-law threatened him when asked to move out.", "threats_family", False),
    ("Passports surrendered to the police under the FMPO.", "documents_retained", False),
    ("He has taken her house keys and her phone.", "cuckooing", False),
    # ... and the signs beside them.
    ("The gang threatened her family back home.", "threats_family", True),
    ("Her passport was surrendered to the man who brought her and he keeps it.", "documents_retained", True),
    ("The dealers have taken over her flat.", "cuckooing", True),
])
def test_a_familys_crises_and_a_courts_orders_are_not_signs(text, indicator, counted):
    assert _counts(text, indicator) is counted


@pytest.mark.parametrize("text, indicator, counted", [
    # Exploitation by a partner, told in domestic abuse records (partners, partners_review) ...
    ("V has to sit outside Lidl every day with a cup and give SUS everything at night.", "financial_control", True),
    ("He drops her on Railway Rd every night and waits in car till she's done.", "sexual_exploitation_control", True),
    ("She cleans offices at night for his friend, cash in hand, H collects.", "wages_diverted", True),
    ("On search of his car: 3 passports in names of other young females.", "documents_retained", True),
    ("He brought her over for work in his restaurant and pays her nothing.", "wages_withheld", True),
    ("He brought her over for work in his restaurant and pays her nothing.", "forced_labour_coercion", True),
    ("Ex-partner threatens to post photos of her unless she keeps going to the flats he sends her to.",
     "threat_if_refusing", True),
    # ... and ordinary family life in the same words.
    ("Her dad drops her at work every night and waits in the car till her shift starts.",
     "sexual_exploitation_control", False),
    ("Her ex pays her nothing for the children.", "wages_withheld", False),
    ("Family of four, two passports in the names of the parents.", "documents_retained", False),
])
def test_exploitation_by_a_partner_in_a_domestic_abuse_record_is_a_sign(text, indicator, counted):
    assert _counts(text, indicator) is counted


@pytest.mark.parametrize("text, indicator, counted", [
    # Weak and indirect signs in every voice (dev15) ...
    ("'I must give my money to Vasile, he is my boyfriend.'", "financial_control", True),
    ("Older woman waits in reception each time and has pt's bank card.", "financial_control", True),
    ("Payments going to an account she says belongs to 'Tomas, he keeps it safe for me'.", "wages_diverted", True),
    ("Pt v quiet, glanced at him before each answer.", "third_party_control", True),
    ("Seen collecting cash from 6 beggars in Castle Sq daily.", "forced_begging", True),
    ("Told day centre 'I got married, I don't know him'.", "forced_marriage", True),
    ("Pt could not say what marriage means or who he is marrying.", "forced_marriage", True),
    ("States he works there, paid 'when boss comes'.", "wages_withheld", True),
    ("'pls help me brother, boss not give money 3 month'", "wages_withheld", True),
    ("No key, 'auntie lock door when she go out'.", "movement_confinement", True),
    ("'if I come back with nothing he is angry'", "earnings_quota", True),
    ("He must 'work for the man in London for the journey, one year'.", "debt_bondage", True),
    ("'It is the boss, he needs to know where I am always.'", "movement_monitored", True),
    ("'The van takes me and brings me.'", "movement_transported", True),
    ("'Every week I give him from my money. He say I still owe.'", "debt_claimed", True),
    ("'they got my phone, i cant come home till i shift the rest'", "criminal_exploitation", True),
    # ... and ordinary records in the same words.
    ("Mum needs to know where she is at all times since the curfew.", "movement_monitored", False),
    ("Au pair: 'I have food and room and pocket money every week.'", "wages_withheld", False),
    ("The carer has the patient's bank card under the LPA.", "financial_control", False),
])
def test_weak_signs_in_every_voice(text, indicator, counted):
    assert _counts(text, indicator) is counted


@pytest.mark.parametrize("text, indicator, counted", [
    # Documents held lawfully, or by the person: Border Force and custody records say so in passing ...
    ("Removal of FNO under escort, escorts hold his ID card.", "documents_retained", False),
    ("Passport held by escorts for removal flight.", "documents_retained", False),
    ("Documents held in the property store as per procedure and returned on transfer.", "documents_retained", False),
    ("Checked: holds own passport. Found the job himself.", "documents_retained", False),
    ("Documents: holds own ID card and phone.", "documents_retained", False),
    ("All four aged 19-24 (2 hold SDN passports).", "documents_retained", False),
    ("Worker took her own passport back and kept it.", "documents_retained", False),
    # ... and held by whoever controls the person, in the same words.
    ("Worker (F, 30). Boss holds her passport and pays her nothing.", "documents_retained", True),
    ("She is an escort; the escort agency holds her passport.", "documents_retained", True),
    ("The gangmaster held their passports while escorting them to the farm each day.", "documents_retained", True),
    ("He took her passport back off her after the visit.", "documents_retained", True),
    ("Driver spoken to. Holds their passports, says it is for safekeeping.", "documents_retained", True),
    ("He keeps her passport until the hotel check-in, then takes it back off her.", "documents_retained", True),
    # A debt collection agency is not an agent owed for the journey; a commute is not long hours.
    ("The energy debt was passed to a debt agency for £1,640.", "debt_bondage", False),
    ("He owes the agency for his flights and works to pay it off.", "debt_bondage", True),
    ("Her boyfriend takes her car every day to go to work.", "excessive_hours", False),
    ("He works every day, 7am till 10pm, no days off.", "excessive_hours", True),
    # Kept in the loop is not confinement.
    ("The social worker keeps her in the loop.", "movement_confinement", False),
])
def test_documents_held_lawfully_or_by_the_person_and_other_look_alikes_count_nothing(text, indicator, counted):
    assert _counts(text, indicator) is counted


@pytest.mark.parametrize("text, indicator, counted", [
    # Labour exploitation in today's economy (dev16, routine17): pay moved on, fees, threats, control of housing ...
    ("Within an hour of each wage credit, 85% of the balance is sent by faster payment to one account.",
     "wages_diverted", True),
    ("Her salary goes to Mrs K's account first, then it will come to me.", "wages_diverted", True),
    ("The team leader makes them transfer half to him every Friday.", "wages_diverted", True),
    ("They have to give him £200 cash each payday behind the depot.", "wages_diverted", True),
    ("The agency man collects the pay and gives me what I need.", "wages_diverted", True),
    ("The account holder takes 75% and lets him sleep in the shared room.", "wages_diverted", True),
    ("A caller changed the bank details of four workers to accounts in the name of one man.", "wages_diverted", True),
    ("A man calls for him because his English is bad and answers every question.", "third_party_control", True),
    ("Company let: no keys to occupants, all contact through the director.", "third_party_control", True),
    ("Money comes to me only when my fee is paid: until the visa fee is paid off it goes to her.", "debt_bondage",
     True),
    ("The skipper told him if he leaves before the contract ends he must pay £2,000.", "debt_claimed", True),
    ("No money, boss keep the pay for the room.", "wages_withheld", True),
    ("In the manager's safe, a bundle of BRP cards labelled 'overseas staff'.", "documents_retained", True),
    ("Neighbours have never seen any of the men go to the shop alone.", "movement_monitored", True),
    ("They are picked up at 6am every day including Sundays and dropped back after dark.", "excessive_hours", True),
    ("Their supervisor charged each of them £500 to give them the job.", "recruitment_fees", True),
    ("They paid a consultant 3.5 lakh each for guaranteed part-time jobs.", "recruitment_fees", True),
    ("He said he has their timesheets and will send them to the Home Office so they will be deported.",
     "threats_denunciation", True),
    ("One of the men asked me what is this town.", "isolation_disorientation", True),
    ("HMRC: accommodation offset limit exceeded for five workers.", "wages_underpaid", True),
    # ... and the ordinary workplace in the same words.
    ("Seven overseas staff on HCW visas; training matrix up to date.", "sector_car_wash", False),
    ("Mum of Callum (16) says his dad takes half of his wages for keep.", "wages_diverted", False),
    ("Apprentice's wages paid into mum's account because she hasn't opened her own yet.", "wages_diverted", False),
    ("Her business partner takes 60% of the profits.", "wages_diverted", False),
    ("He gives her £200 each payday for the kids.", "wages_diverted", False),
    ("If he leaves before the end of the contract he has to pay back the training costs.", "debt_claimed", False),
    ("His mum gives him some money for food when he goes out.", "wages_withheld", False),
    ("Staff on duty: all produced ID, right to work docs held on file, copies seen.", "documents_retained", False),
    ("Laptops hold passport copies taken for right to work checks.", "documents_retained", False),
    ("Rider treated for smoke inhalation and kept in overnight.", "movement_confinement", False),
    ("Told he couldn't leave until the end of his shift or he'd be disciplined.", "movement_confinement", False),
    ("Officers attended the bank with the victim and stopped payment.", "wages_withheld", False),
    ("Door supervisor stabbed in the hand by an ejected customer.", "violence_by_controller", False),
    ("Takeaway owner assaulted by a drunk customer.", "violence_by_controller", False),
    ("Works 2 jobs, cleaner 6am-10am and carer 2pm-10pm, by her own choice.", "excessive_hours", False),
])
def test_labour_exploitation_in_todays_economy(text, indicator, counted):
    assert _counts(text, indicator) is counted


@pytest.mark.parametrize("text, indicator, counted", [
    # A rural force's harvest season (routine19): signs told in passing ...
    ("Domestic abuse. His partner and her brothers took his passport and he works on their farm for food.",
     "wages_withheld", True),
    ("Said the TL will fine him £50 and call the Home Office to cancel my visa.", "threats_denunciation", True),
    ("Payslip: deductions for transport, house and fines leaving £38 for the week.", "wages_underpaid", True),
    ("Her supervisor brings men to her pod on Friday nights.", "sexual_exploitation_control", True),
    # ... and the season's ordinary records.
    ("She works for food delivery company Just Eat.", "wages_withheld", False),
    ("Deductions: accommodation within the offset, as in his contract.", "wages_withheld", False),
    ("Four were new arrivals waiting for their first pay.", "wages_withheld", False),
    ("I didn't pay anything for the job; my cousin told me about it.", "wages_withheld", False),
    ("Sometimes they send us home early when there's no work.", "fear_of_authorities", False),
    ("Farm manager asks if he can hold workers' passports for safekeeping; advised not to.", "documents_retained",
     False),
    ("We have 22 seasonal workers living in caravans on the farm.", "living_conditions_poor", False),
    ("MFH - 2 workers (M, 23 and M, 24) gone from their caravan.", "vulnerability_child", False),
    ("MFH - girl, 14, from the children's home, third time this month.", "vulnerability_child", True),
    ("Wed: trailer recovered in a neighbouring force.", "forced_marriage", False),
    ("The family force her to marry him next month.", "forced_marriage", True),
    ("Each pays £10 a week to the TL for a barbecue fund.", "wages_underpaid", False),
    ("Documents: own passports (one kept in a zipped bag in the caravan, showed us).", "documents_retained", False),
    ("Same man brings different silent men to the food bank - 'waiting for first wages'.", "wages_withheld", True),
    ("Four were new arrivals waiting for first pay; the farm has since introduced advances.", "wages_withheld", False),
])
def test_a_rural_forces_harvest_season(text, indicator, counted):
    assert _counts(text, indicator) is counted


def test_documents_held_alone_can_be_held_back_when_the_record_reads_as_a_concern_ruled_out(screener):
    """Documents held flag a record on their own, but as its only sign, held by nobody the library names among those
    who exploit, the wording model may hold it back when the record reads like a check that explained them; beside
    any other sign it flags as before."""
    checked = ("Welfare visit at the packhouse. Passports held in the office safe. All paid weekly into their own "
               "accounts, live in their own rented rooms, hold their own phones. No welfare concerns identified.")
    result = screener.screen(checked)
    assert not result.flagged
    assert any(hit.indicator == screener.wording.held_back.id for hit in result.hits)
    assert Screener(wording=False).screen(checked).flagged
    with_another_sign = checked.replace("office safe.", "office safe and they owe the agent £3,000 for the flight.")
    assert screener.screen(with_another_sign).flagged
    # Nor when a sentence of the sign names someone who exploits (a boss, an employer, a manager ...).
    assert screener.screen(checked.replace("Passports held", "The manager holds their passports")).flagged
    assert screener.library.get("documents_retained").ruled_out_alone


@pytest.mark.parametrize("text, counted", [
    # Documents held that the review of 2026.26 found the sign did not catch ...
    ("Driver had all passengers' ID cards in a bag.", True),
    ("Male produced all 3 ID cards from his jacket.", True),
    ("Pastor holds the passports of two young women who live at the church house.", True),
    ("The agency keeps overseas carers' passports in the office.", True),
    ("His sponsor is refusing to give back his passport.", True),
    ("She was brought in by her supervisor who had pt's passport.", True),
    ("Agency rep at the airport held all 30 passports.", True),
    # ... and a parent's, a school trip's and the police's in the same words.
    ("Mum holds the passports of the three children.", False),
    ("17yo upset her mum won't give her her passport to go to Tenerife.", False),
    ("School trip to Paris: the teacher held all 30 passports.", False),
    ("Police refused to return his passport as a bail condition.", False),
])
def test_documents_held_by_someone_else_in_other_words(text, counted):
    assert _counts(text, "documents_retained") is counted


@pytest.mark.parametrize("text, indicator, counted", [
    # Signs a review of lone confinement, threats and debts found the library missed ...
    ("The front door is always kept locked and she does not have a key.", "movement_confinement", True),
    ("Workers are not allowed to go into town on their own.", "movement_confinement", True),
    ("He is not let off the yard except to go to the van.", "movement_confinement", True),
    ("He was told his family in Poland would be visited if he talked.", "threats_family", True),
    ("£150 a week comes off his pay for the travel until it is paid.", "debt_bondage", True),
    ("She borrowed £30,000 to come to the UK and is repaying it.", "debt_bondage", True),
    ("The agency fee of £1,200 is deducted from his wages at £50 a week.", "recruitment_fees", True),
    ("She is still paying off the rest of the fee.", "recruitment_fees", True),
    # ... and the same words about a family's rules, a student's fees and a lawful deduction.
    ("Mum keeps the door locked at night and he doesn't have a key because he lost three.", "movement_confinement",
     False),
    ("She is paying off the rest of her tuition fee.", "recruitment_fees", False),
])
def test_lone_signs_a_review_found_missed(text, indicator, counted):
    assert _counts(text, indicator) is counted


def test_documents_held_by_employers_are_never_held_back(screener):
    """Those who exploit are named in the plural too ("the employers", "the owners", "the gaffer")."""
    text = ("Welfare visit at the packhouse. The employers keep their passports in the office. All paid weekly into "
            "their own accounts, live in their own rented rooms, hold their own phones. No welfare concerns "
            "identified.")
    assert screener.screen(text).flagged


@pytest.mark.parametrize("text", [
    "Good practice: passports checked and handed back, no fees, pay into workers' own accounts, clear payslips.",
    "There are no deductions, pay is weekly.",
    "No fees, pay by bank transfer.",
])
def test_a_no_that_belongs_to_the_noun_before_a_comma_is_not_pay_withheld(screener, text):
    assert "wages_withheld" not in screener.screen(text).indicators


@pytest.mark.parametrize("text", [
    "No rent, pay is kept by the boss.",
    "No food, no pay, boss keeps everything.",
    "no agency fee, pay not received for 3 weeks",
])
def test_pay_withheld_after_such_a_list_still_counts(screener, text):
    assert "wages_withheld" in screener.screen(text).indicators
